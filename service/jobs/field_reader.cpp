#include "jobs/field_reader.hpp"

#include <cmath>
#include <cstdlib>

#include "jobs/json_writer.hpp"
#include "text/strings.hpp"
#include "text/utf8.hpp"

namespace jobsync::jobs {

const char* describe_type(const rapidjson::Value& value) {
    switch (value.GetType()) {
        case rapidjson::kNullType:
            return "null";
        case rapidjson::kFalseType:
        case rapidjson::kTrueType:
            return "a boolean";
        case rapidjson::kObjectType:
            return "an object";
        case rapidjson::kArrayType:
            return "an array";
        case rapidjson::kStringType:
            return "a string";
        case rapidjson::kNumberType:
            return "a number";
    }
    return "an unknown value";
}

namespace detail {

namespace {

// The whole string must be a finite number; leading/trailing spaces are tolerated.
std::optional<double> parse_numeric_string(const std::string& text) {
    const char* begin = text.c_str();
    char* end = nullptr;
    double value = std::strtod(begin, &end);
    if (end == begin) return std::nullopt;
    while (*end == ' ') ++end;
    if (*end != '\0' || !std::isfinite(value)) return std::nullopt;
    return value;
}

bool holds_nul(const rapidjson::Value& value) {
    if (value.IsString()) {
        return std::string_view(value.GetString(), value.GetStringLength()).find('\0') !=
               std::string_view::npos;
    }
    if (value.IsArray()) {
        for (const auto& item : value.GetArray()) {
            if (holds_nul(item)) return true;
        }
    }
    if (value.IsObject()) {
        for (const auto& member : value.GetObject()) {
            if (holds_nul(member.name) || holds_nul(member.value)) return true;
        }
    }
    return false;
}

// A deep copy of `in` with every NUL character removed from strings and member names.
void copy_without_nul(const rapidjson::Value& in, rapidjson::Value& out,
                      rapidjson::Document::AllocatorType& allocator) {
    if (in.IsString()) {
        std::string cleaned(in.GetString(), in.GetStringLength());
        text::remove_nul(cleaned);
        out.SetString(cleaned.data(), static_cast<rapidjson::SizeType>(cleaned.size()), allocator);
    } else if (in.IsArray()) {
        out.SetArray();
        for (const auto& item : in.GetArray()) {
            rapidjson::Value copy;
            copy_without_nul(item, copy, allocator);
            out.PushBack(copy, allocator);
        }
    } else if (in.IsObject()) {
        out.SetObject();
        for (const auto& member : in.GetObject()) {
            rapidjson::Value name;
            copy_without_nul(member.name, name, allocator);
            rapidjson::Value copy;
            copy_without_nul(member.value, copy, allocator);
            out.AddMember(name, copy, allocator);
        }
    } else {
        out.CopyFrom(in, allocator);
    }
}

}  // namespace

namespace {

// Every key and string inside `value` is valid UTF-8.
bool strings_are_utf8(const rapidjson::Value& value) {
    if (value.IsString()) return text::is_valid_utf8({value.GetString(), value.GetStringLength()});
    if (value.IsArray()) {
        for (const auto& item : value.GetArray()) {
            if (!strings_are_utf8(item)) return false;
        }
    } else if (value.IsObject()) {
        for (const auto& member : value.GetObject()) {
            if (!strings_are_utf8(member.name) || !strings_are_utf8(member.value)) return false;
        }
    }
    return true;
}

}  // namespace

std::optional<std::string> to_compact_json(const rapidjson::Value& value) {
    // One word-at-a-time UTF-8 pass, then a writer that copies clean runs whole: RapidJSON's
    // validating writer decoded every character one by one.
    if (!strings_are_utf8(value)) return std::nullopt;
    std::string out;
    append_compact_json(out, value);
    return out;
}

const rapidjson::Value* FieldReader::present(const char* field) const {
    auto member = job_.FindMember(field);
    if (member == job_.MemberEnd() || member->value.IsNull()) return nullptr;
    return &member->value;
}

void FieldReader::report(const char* field, std::string message) {
    problems_.push_back({field, std::move(message)});
}

void FieldReader::wrong_type(const char* field, const rapidjson::Value& value,
                             const char* expected) {
    report(field, std::string(field) + " is " + describe_type(value) + ", expected " + expected +
                      "; nulled");
}

std::optional<Text> FieldReader::text(const char* field) {
    const auto* value = present(field);
    if (value == nullptr) return std::nullopt;
    if (!value->IsString()) {
        wrong_type(field, *value, "a string");
        return std::nullopt;
    }
    const std::string_view in(value->GetString(), value->GetStringLength());
    if (in.empty()) return std::nullopt;
    // Nearly every value is clean: one pass decides, and the copy (if any) is the only other one.
    if (text::is_clean_utf8(in)) return borrow_ ? Text::borrow(in) : Text(in);
    if (!text::is_valid_utf8(in)) {
        report(field, std::string(field) + " is not valid UTF-8; nulled");
        return std::nullopt;
    }
    std::string out(in);
    text::remove_nul(out);  // valid but not clean: it holds NUL characters
    report(field, std::string(field) + " contains NUL characters; removed");
    if (out.empty()) return std::nullopt;
    return out;
}

std::optional<double> FieldReader::number(const char* field, double min, double max) {
    const auto* value = present(field);
    if (value == nullptr) return std::nullopt;
    std::optional<double> result;
    if (value->IsNumber()) {
        result = value->GetDouble();
    } else if (value->IsString()) {
        std::string text(value->GetString(), value->GetStringLength());
        result = parse_numeric_string(text);
        if (!result) {
            wrong_type(field, *value, "a number");
            return std::nullopt;
        }
        report(field, std::string(field) + " is a numeric string, expected a number; parsed as " +
                          text::format_number(*result));
    } else {
        wrong_type(field, *value, "a number");
        return std::nullopt;
    }
    if (*result < min || *result > max) {
        report(field, std::string(field) + " is " + text::format_number(*result) + ", outside [" +
                          text::format_number(min) + ", " + text::format_number(max) + "]; nulled");
        return std::nullopt;
    }
    return result;
}

std::optional<bool> FieldReader::boolean(const char* field) {
    const auto* value = present(field);
    if (value == nullptr) return std::nullopt;
    if (value->IsBool()) return value->GetBool();
    if (value->IsString()) {
        std::string_view text(value->GetString(), value->GetStringLength());
        if (text == "true" || text == "false") {
            report(field, std::string(field) + " is the string \"" + std::string(text) +
                              "\", expected a boolean; converted");
            return text == "true";
        }
    }
    wrong_type(field, *value, "a boolean");
    return std::nullopt;
}

std::optional<JsonText> FieldReader::json_if(const char* field, bool shape_ok,
                                             const char* expected) {
    const auto* value = present(field);
    if (!shape_ok) {
        report(field, std::string(field) + " is " + describe_type(*value) + ", expected " +
                          expected + "; nulled");
        return std::nullopt;
    }
    // Nearly always every string is clean UTF-8: checked and written in one pass, into a buffer
    // this thread reuses, then copied once at its final size (appending to a fresh string
    // reallocated it about ten times a job).
    thread_local std::string scratch;
    scratch.clear();
    if (append_clean_compact_json(scratch, *value)) return JsonText{std::string(scratch)};
    // PostgreSQL's jsonb refuses \u0000 (22P05) and one such value would fail the whole batch.
    std::optional<std::string> json;
    if (holds_nul(*value)) {
        rapidjson::Document cleaned;
        copy_without_nul(*value, cleaned, cleaned.GetAllocator());
        json = to_compact_json(cleaned);
        if (json) report(field, std::string(field) + " contains NUL characters; removed");
    } else {
        json = to_compact_json(*value);
    }
    if (!json) {
        report(field, std::string(field) + " holds invalid UTF-8; nulled");
        return std::nullopt;
    }
    return JsonText{std::move(*json)};
}

std::optional<JsonText> FieldReader::object_of_string_arrays(const char* field) {
    const auto* value = present(field);
    if (value == nullptr) return std::nullopt;
    bool ok = value->IsObject();
    if (ok) {
        for (const auto& member : value->GetObject()) {
            ok = ok && member.value.IsArray();
            if (!ok) break;
            for (const auto& item : member.value.GetArray()) ok = ok && item.IsString();
        }
    }
    if (!ok && value->IsObject()) {
        report(field, std::string(field) +
                          " is an object whose members are not all string "
                          "arrays; nulled");
        return std::nullopt;
    }
    return json_if(field, ok, "an object of string arrays");
}

std::optional<JsonText> FieldReader::string_array(const char* field) {
    const auto* value = present(field);
    if (value == nullptr) return std::nullopt;
    bool ok = value->IsArray();
    if (ok) {
        for (const auto& item : value->GetArray()) ok = ok && item.IsString();
    }
    if (!ok && value->IsArray()) {
        report(field, std::string(field) +
                          " is an array with non-string items, expected an "
                          "array of strings; nulled");
        return std::nullopt;
    }
    return json_if(field, ok, "an array of strings");
}

std::optional<JsonText> FieldReader::object_array(const char* field) {
    const auto* value = present(field);
    if (value == nullptr) return std::nullopt;
    bool ok = value->IsArray();
    if (ok) {
        for (const auto& item : value->GetArray()) ok = ok && item.IsObject();
    }
    if (!ok && value->IsArray()) {
        report(field, std::string(field) +
                          " is an array with non-object items, expected an "
                          "array of objects; nulled");
        return std::nullopt;
    }
    return json_if(field, ok, "an array of objects");
}

}  // namespace detail

}  // namespace jobsync::jobs
