#include "output/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace jobsync::output {

namespace fs = std::filesystem;

namespace {

std::string folder_of(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

[[noreturn]] void fail(const std::string& what, const std::string& path, int error) {
    throw std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(error));
}

// Closes the descriptor and removes the temporary file unless the rename happened.
class TempFile {
  public:
    explicit TempFile(const std::string& target) {
        const fs::path path(target);
        name_ = (fs::path(folder_of(target)) / ("." + path.filename().string() + ".tmp-XXXXXX"))
                    .string();
        std::vector<char> buffer(name_.begin(), name_.end());
        buffer.push_back('\0');
        fd_ = ::mkstemp(buffer.data());
        if (fd_ < 0) fail("create a temporary file for", target, errno);
        name_ = buffer.data();
    }
    ~TempFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!renamed_) ::unlink(name_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    int fd() const { return fd_; }
    const std::string& name() const { return name_; }
    void close_checked(const std::string& target) {
        const int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0) fail("write", target, errno);
    }
    void renamed() { renamed_ = true; }

  private:
    std::string name_;
    int fd_ = -1;
    bool renamed_ = false;
};

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
    TempFile temp(path);
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(temp.fd(), content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("write", path, errno);
        written += static_cast<std::size_t>(n);
    }
    if (::fchmod(temp.fd(), 0644) != 0) fail("set the mode of", path, errno);
    if (::fsync(temp.fd()) != 0) fail("write", path, errno);
    temp.close_checked(path);
    if (::rename(temp.name().c_str(), path.c_str()) != 0) fail("replace", path, errno);
    temp.renamed();
    // Make the rename itself durable; a failure here loses nothing already visible.
    const int folder = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder >= 0) {
        ::fsync(folder);
        ::close(folder);
    }
}

std::optional<std::string> read_file_if_present(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return std::nullopt;
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad()) return std::nullopt;
    return text.str();
}

std::optional<std::string> unwritable_reason(const std::string& path) {
    std::error_code error;
    if (fs::is_directory(path, error)) return path + " is a folder; give a file name";
    const std::string folder = folder_of(path);
    if (!fs::is_directory(folder, error)) return "folder " + folder + " does not exist";
    if (::access(folder.c_str(), W_OK | X_OK) != 0) {
        return "folder " + folder + " is not writable: " + std::strerror(errno);
    }
    return std::nullopt;
}

}  // namespace jobsync::output
