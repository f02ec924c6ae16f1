#include "support/pg_cluster.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/loopback_server.hpp"
#include "text/strings.hpp"

extern char** environ;

namespace jobsync::testing {

namespace fs = std::filesystem;

namespace {

constexpr const char* kOwnerFile = "owner.pid";  // pid of the test process owning a cluster
constexpr int kStartAttempts = 4;  // a "free" port can be taken before the server binds it

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool is_executable(const fs::path& path) { return ::access(path.c_str(), X_OK) == 0; }

// The directory holding initdb and pg_ctl: $JOBSYNC_PG_BINDIR, `pg_config --bindir`, or the
// newest /usr/lib/postgresql/<version>/bin (Debian keeps them off PATH).
std::string find_bindir() {
    if (const char* forced = std::getenv("JOBSYNC_PG_BINDIR"); forced && *forced) return forced;
    if (FILE* pipe = ::popen("pg_config --bindir 2>/dev/null", "r")) {
        std::array<char, 512> buffer{};
        std::string out;
        while (std::fgets(buffer.data(), buffer.size(), pipe)) out += buffer.data();
        ::pclose(pipe);
        out.resize(text::trim_end(out).size());
        if (!out.empty() && is_executable(fs::path(out) / "initdb")) return out;
    }
    std::vector<fs::path> candidates;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        if (is_executable(entry.path() / "bin" / "initdb")) candidates.push_back(entry.path());
    }
    if (candidates.empty()) {
        throw std::runtime_error(
            "PostgreSQL server binaries not found (no initdb from pg_config --bindir or in "
            "/usr/lib/postgresql/*/bin); install the postgresql package");
    }
    std::sort(candidates.begin(), candidates.end(), [](const fs::path& a, const fs::path& b) {
        return std::atoi(a.filename().c_str()) < std::atoi(b.filename().c_str());
    });
    return (candidates.back() / "bin").string();
}

const std::string& bindir() {
    static const std::string dir = find_bindir();
    return dir;
}

bool running_as_root() { return ::geteuid() == 0; }

// Runs argv (as `postgres` when we are root), stdout+stderr appended to `log`; the exit code.
// posix_spawn rather than fork: safe in test processes that already run server threads.
int run(std::vector<std::string> argv, const std::string& log) {
    if (running_as_root()) {
        argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    }
    std::vector<char*> args;
    for (auto& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = 0;
    const int spawned = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return 127;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return 127;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string tool(const char* name) { return (fs::path(bindir()) / name).string(); }

void give_to_postgres(const std::string& path) {
    const passwd* user = ::getpwnam("postgres");
    if (!user) {
        throw std::runtime_error(
            "running as root, but there is no `postgres` user to run PostgreSQL as");
    }
    if (::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0) {
        throw std::runtime_error("cannot chown " + path + " to postgres");
    }
}

// Where clusters live: $JOBSYNC_PG_TMPDIR, else /dev/shm when it is roomy (a RAM disk makes
// initdb and the copies several times faster), else the system temp dir.
fs::path cluster_base_dir() {
    if (const char* forced = std::getenv("JOBSYNC_PG_TMPDIR"); forced && *forced) return forced;
    struct statvfs shm {};
    constexpr unsigned long long kRoomy = 1ULL << 30;
    if (::statvfs("/dev/shm", &shm) == 0 && ::access("/dev/shm", W_OK) == 0 &&
        static_cast<unsigned long long>(shm.f_bavail) * shm.f_frsize > kRoomy) {
        return "/dev/shm";
    }
    return fs::temp_directory_path();
}

std::string make_cluster_dir(const char* prefix) {
    std::string pattern = (cluster_base_dir() / (std::string(prefix) + "-XXXXXX")).string();
    if (!::mkdtemp(pattern.data())) {
        throw std::runtime_error("mkdtemp failed for " + pattern);
    }
    if (running_as_root()) give_to_postgres(pattern);
    std::ofstream(fs::path(pattern) / kOwnerFile) << ::getpid() << '\n';
    return pattern;
}

// A zombie counts as dead: its clusters will never be torn down.
bool process_alive(pid_t pid) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) return false;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string stat_line;
    std::getline(stat, stat_line);
    const auto after_name = stat_line.rfind(") ");  // the name may contain spaces
    return after_name == std::string::npos || stat_line.compare(after_name + 2, 1, "Z") != 0;
}

// A test process that dies without unwinding (a crash, SIGKILL) leaves its servers running
// and its directories behind; each process stops and removes those of dead owners first.
void remove_orphaned_clusters() {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(cluster_base_dir(), ec)) {
        if (entry.path().filename().string().rfind("jobsync-pg-", 0) != 0) continue;
        std::ifstream owner(entry.path() / kOwnerFile);
        long pid = 0;
        if (!(owner >> pid) || pid <= 0) continue;  // not ours, or being created right now
        if (process_alive(static_cast<pid_t>(pid))) continue;
        const fs::path data = entry.path() / "data";
        std::error_code missing;
        if (fs::exists(data / "postmaster.pid", missing)) {
            run({tool("pg_ctl"), "stop", "-m", "immediate", "-w", "-t", "10", "-D", data.string()},
                "/dev/null");
        }
        fs::remove_all(entry.path(), missing);
    }
}

// initdb costs about a second (several on a busy machine): each process runs it once into a
// template data directory and copies that for every cluster. Removed when the process exits.
class DataDirTemplate {
  public:
    static const std::string& data_dir() {
        static const DataDirTemplate instance;  // retried on the next call if initdb threw
        return instance.data_;
    }
    ~DataDirTemplate() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    DataDirTemplate(const DataDirTemplate&) = delete;
    DataDirTemplate& operator=(const DataDirTemplate&) = delete;

  private:
    DataDirTemplate() : dir_(claim_template_dir()), data_(dir_ + "/data") {
        const std::string log = dir_ + "/initdb.log";
        const int status = run({tool("initdb"), "-D", data_, "-A", "trust", "-U", "postgres",
                                "--no-sync", "-E", "UTF8", "--locale=C"},
                               log);
        if (status != 0) {
            const std::string output = read_file(log);
            std::error_code ec;
            fs::remove_all(dir_, ec);
            throw std::runtime_error("initdb failed (exit " + std::to_string(status) + "):\n" +
                                     output);
        }
    }
    static std::string claim_template_dir() {
        remove_orphaned_clusters();  // once per process, before it adds its own
        return make_cluster_dir("jobsync-pg-template");
    }

    std::string dir_;
    std::string data_;
};

std::string source_path(const std::string& relative) {
    return (fs::path(JOBSYNC_SOURCE_DIR) / relative).string();
}

void exec_file(PgConnection& connection, const std::string& path) {
    const std::string sql = read_file(path);
    if (sql.empty()) throw std::runtime_error("cannot read SQL file " + path);
    try {
        connection.exec(sql);
    } catch (const PgError& error) {
        throw PgError(error.sqlstate(), fs::path(path).filename().string() + ": " + error.message(),
                      error.detail(), error.hint());
    }
}

}  // namespace

std::vector<std::string> migration_files() {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(source_path("schema"), ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".sql") {
            files.push_back(entry.path().string());
        }
    }
    if (files.empty()) throw std::runtime_error("no migrations in " + source_path("schema"));
    std::sort(files.begin(), files.end());  // Supabase CLI order: the timestamp prefix
    return files;
}

PgCluster::PgCluster(PgClusterOptions options) : dir_(make_cluster_dir("jobsync-pg")) {
    try {
        const std::string data = dir_ + "/data";
        const std::string log = dir_ + "/setup.log";
        const int copied = run({"cp", "-a", DataDirTemplate::data_dir(), data}, log);
        if (copied != 0) {
            throw std::runtime_error("copying the template data directory failed:\n" +
                                     read_file(log));
        }
        launch(/*keep_port=*/false);
        PgConnection superuser = connect_superuser();
        if (options.supabase_roles) {
            exec_file(superuser, source_path("tests/support/supabase_bootstrap.sql"));
        }
        if (options.apply_schema) apply_migrations();
    } catch (...) {
        stop();
        std::error_code ec;
        fs::remove_all(dir_, ec);
        throw;
    }
}

PgCluster::~PgCluster() {
    try {
        stop();
    } catch (...) {  // a destructor must not throw; the directory goes anyway
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

std::string PgCluster::superuser_conninfo() const {
    return "host=127.0.0.1 port=" + std::to_string(port_) +
           " user=postgres dbname=postgres connect_timeout=5";
}

std::string PgCluster::authenticator_conninfo() const {
    return "host=127.0.0.1 port=" + std::to_string(port_) +
           " user=authenticator dbname=postgres connect_timeout=5";
}

PgConnection PgCluster::connect_superuser() const { return PgConnection(superuser_conninfo()); }

void PgCluster::apply_migrations() const {
    PgConnection superuser = connect_superuser();
    for (const auto& file : migration_files()) exec_file(superuser, file);
}

void PgCluster::launch(bool keep_port) {
    const std::string data = dir_ + "/data";
    const std::string log = dir_ + "/setup.log";
    const std::string server_log = dir_ + "/server.log";
    for (int attempt = 1; !running_; ++attempt) {
        if (!keep_port) port_ = find_free_port();
        const std::string settings =
            "-p " + std::to_string(port_) +
            " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
            " -c synchronous_commit=off -k " +
            dir_;
        const int started = run({tool("pg_ctl"), "start", "-w", "-t", "30", "-D", data, "-l",
                                 server_log, "-o", settings},
                                log);
        if (started == 0) {
            running_ = true;
        } else if (attempt == kStartAttempts) {
            throw std::runtime_error("pg_ctl start failed (exit " + std::to_string(started) +
                                     "):\n" + read_file(log) + read_file(server_log));
        } else {  // a server that timed out may still come up: stop it before the retry
            run({tool("pg_ctl"), "stop", "-m", "immediate", "-D", data}, log);
        }
    }
}

void PgCluster::start() {
    if (running_) return;
    launch(/*keep_port=*/true);
}

void PgCluster::stop() {
    if (!running_) return;
    running_ = false;
    run({tool("pg_ctl"), "stop", "-m", "immediate", "-w", "-t", "30", "-D", dir_ + "/data"},
        dir_ + "/setup.log");
}

}  // namespace jobsync::testing
