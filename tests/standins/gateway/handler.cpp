#include "standins/gateway/handler.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <regex>

#include "standins/gateway/auth.hpp"
#include "standins/gateway/http_mapping.hpp"
#include "standins/gateway/rpc.hpp"
#include "standins/gateway/statements.hpp"
#include "standins/gateway/transaction.hpp"
#include "support/form_decoding.hpp"
#include "text/strings.hpp"

namespace jobsync::testing::gateway {

namespace {

constexpr const char* kRestPrefix = "/rest/v1/";
constexpr const char* kSchema = "public";

struct RequestContext {
    const GatewayOptions& options;
    ConnectionPool& pool;
    const RecordedRequest& request;
    const std::string& table_name;
    const Identity& identity;
    const Preferences& preferences;
    const RequestParams& params;
};

struct Result {
    std::optional<long long> total;
    long long page_total = 0;
    std::string body = "[]";
    long long inserted = 0;
    std::optional<std::string> location;  // JSON object of the first row's key
};

Reply no_route_reply() {
    return Reply{404,
                 {{"Content-Type", kJsonContentType}},
                 R"({"message":"no Route matched with those values"})"};
}

Result read_result(const PgRows& rows) {
    Result result;
    if (rows.rows.empty()) return result;
    if (const auto& total = rows.at(0, "total")) result.total = std::stoll(*total);
    result.page_total = std::stoll(rows.at(0, "page_total").value_or("0"));
    result.body = rows.at(0, "body").value_or("[]");
    result.inserted = std::stoll(rows.at(0, "inserted").value_or("0"));
    result.location = rows.at(0, "location");
    return result;
}

// "/jobs?id=eq.5" from {"id":5} (return=headers-only, notes 1.4).
std::optional<std::string> location_header(const std::string& table,
                                           const std::optional<std::string>& key_json) {
    if (!key_json) return std::nullopt;
    rapidjson::Document key;
    if (key.Parse(key_json->c_str()).HasParseError() || !key.IsObject()) return std::nullopt;
    std::string query;
    for (const auto& member : key.GetObject()) {
        std::string value;
        if (member.value.IsString()) {
            value = member.value.GetString();
        } else {
            rapidjson::StringBuffer buffer;
            rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
            member.value.Accept(writer);
            value = buffer.GetString();
        }
        query +=
            (query.empty() ? "?" : "&") + std::string(member.name.GetString()) + "=eq." + value;
    }
    return "/" + table + query;
}

void check_payload_columns(const TableInfo& table, const std::vector<std::string>& columns) {
    for (const auto& name : columns) {
        if (!table.column(name)) {
            throw ApiError(400, "PGRST204",
                           "Could not find the '" + name + "' column of '" + table.name +
                               "' in the schema cache");
        }
    }
}

void refuse_beyond_max_affected(const Preferences& prefs, const Result& result) {
    if (prefs.handling == Handling::strict && prefs.max_affected &&
        result.page_total > *prefs.max_affected) {
        throw ApiError(400, "PGRST124", "Query result exceeds max-affected preference constraint",
                       "The query affects " + std::to_string(result.page_total) + " rows");
    }
}

void add_preference_applied(Reply& reply, const Preferences& prefs, Mutation mutation,
                            bool resolution_applies) {
    if (auto applied = preference_applied(prefs, mutation, resolution_applies)) {
        reply.headers.emplace_back("Preference-Applied", *applied);
    }
}

void set_json_body(Reply& reply, std::string body) {
    reply.headers.emplace_back("Content-Type", kJsonContentType);
    reply.body = std::move(body);
}

// Offset and limit from ?offset/?limit, else from a `Range: 0-9` header (RangeQuery.hs).
ReadWindow read_window(const RequestContext& ctx) {
    ReadWindow window;
    window.offset = ctx.params.offset.value_or(0);
    window.limit = ctx.params.limit;
    if (!ctx.params.offset && !ctx.params.limit) {
        static const std::regex kRange(R"(^(?:items=)?([0-9]+)-([0-9]*)$)");
        std::smatch match;
        const std::string range = ctx.request.header("Range").value_or("");
        if (std::regex_match(range, match, kRange)) {
            window.offset = std::stoll(match[1]);
            if (match[2].length() > 0) {
                const long long upper = std::stoll(match[2]);
                if (upper < window.offset) {
                    throw ApiError(416, "PGRST103", "Requested range not satisfiable",
                                   "The lower boundary must be lower than or equal to the upper "
                                   "boundary in the Range header.");
                }
                window.limit = upper - window.offset + 1;
            }
        }
    }
    return window;
}

Reply respond_read(const RequestContext& ctx, const ReadWindow& window, const Result& result) {
    const long long lower = window.offset;
    const long long upper = lower + result.page_total - 1;
    Reply reply;
    reply.status = 200;
    if (result.total) {
        if (lower > *result.total) {
            throw ApiError(416, "PGRST103", "Requested range not satisfiable",
                           "An offset of " + std::to_string(lower) +
                               " was requested, but there are only " +
                               std::to_string(*result.total) + " rows.");
        }
        if (1 + upper - lower < *result.total) reply.status = 206;
    }
    reply.headers.emplace_back("Content-Range", content_range(lower, upper, result.total));
    add_preference_applied(reply, ctx.preferences, Mutation::none, false);
    set_json_body(reply, ctx.request.method == "HEAD" ? "" : result.body);
    return reply;
}

Reply respond_create(const RequestContext& ctx, const Result& result, bool resolution_applies) {
    Reply reply;
    const bool merged =
        resolution_applies && ctx.preferences.resolution == Resolution::merge_duplicates;
    // merge-duplicates that inserted nothing is 200 (v12+); everything else 201 (notes 1.3).
    reply.status = merged && result.inserted <= 0 ? 200 : 201;
    const auto representation = ctx.preferences.representation;
    if (representation == Return::headers_only && result.inserted == 1) {
        if (auto location = location_header(ctx.table_name, result.location)) {
            reply.headers.emplace_back("Location", *location);
        }
    }
    const std::optional<long long> total =
        should_count(ctx.preferences) ? std::optional<long long>(result.page_total) : std::nullopt;
    reply.headers.emplace_back("Content-Range", content_range(1, 0, total));
    add_preference_applied(reply, ctx.preferences, Mutation::create, resolution_applies);
    if (representation == Return::representation) set_json_body(reply, result.body);
    return reply;
}

Reply respond_update_or_delete(const RequestContext& ctx, const Result& result, Mutation mutation) {
    Reply reply;
    const std::optional<long long> total =
        should_count(ctx.preferences) ? std::optional<long long>(result.page_total) : std::nullopt;
    // PATCH reports the affected range "0-(n-1)/total"; DELETE only "*/total" (notes 2).
    reply.headers.emplace_back("Content-Range", mutation == Mutation::update
                                                    ? content_range(0, result.page_total - 1, total)
                                                    : content_range(1, 0, total));
    add_preference_applied(reply, ctx.preferences, mutation, false);
    if (ctx.preferences.representation == Return::representation) {
        reply.status = 200;
        set_json_body(reply, result.body);
    } else {
        reply.status = 204;
    }
    return reply;
}

Reply serve(const RequestContext& ctx) {
    const std::string& method = ctx.request.method;
    const bool is_read = method == "GET" || method == "HEAD";
    const Mutation mutation = method == "POST"     ? Mutation::create
                              : method == "PATCH"  ? Mutation::update
                              : method == "DELETE" ? Mutation::remove
                                                   : Mutation::none;
    if (!is_read && mutation == Mutation::none) {
        if (method == "PUT") {
            throw ApiError(400, "PGRST127", "Feature not implemented",
                           "PUT is not supported by this stand-in");
        }
        throw ApiError(405, "PGRST117", "Unsupported HTTP method: " + method);
    }
    std::optional<Payload> payload;
    if (mutation == Mutation::create || mutation == Mutation::update) {
        payload = parse_payload(ctx.request.body, ctx.params.columns);
    }

    Transaction tx(ctx.pool, is_read);
    const std::optional<TableInfo> table = load_table(tx.connection(), kSchema, ctx.table_name);
    if (!table) {
        throw ApiError(404, "PGRST205",
                       "Could not find the table '" + std::string(kSchema) + "." + ctx.table_name +
                           "' in the schema cache");
    }
    if (payload) check_payload_columns(*table, payload->columns);

    if (mutation == Mutation::update && payload->columns.empty()) {
        return respond_update_or_delete(ctx, Result{}, mutation);  // nothing to set: no query
    }
    // Supabase preloads pg-safeupdate for API queries (notes 2); it is not installed here, so
    // its error is raised the way the extension words it.
    if (ctx.options.safeupdate && !has_row_filter(ctx.params) &&
        (mutation == Mutation::update || mutation == Mutation::remove)) {
        throw PgError("21000",
                      std::string(mutation == Mutation::update ? "UPDATE" : "DELETE") +
                          " requires a WHERE clause",
                      "", "");
    }

    tx.become(ctx.identity, method, "/" + ctx.table_name, ctx.request.headers,
              ctx.options.statement_timeout);

    if (is_read) {
        const ReadWindow window = read_window(ctx);
        const Result result = read_result(
            tx.run(build_read(*table, ctx.params, window, should_count(ctx.preferences))));
        tx.commit();
        return respond_read(ctx, window, result);
    }
    if (mutation == Mutation::create) {
        std::vector<std::string> conflict_columns;
        if (ctx.preferences.resolution) {
            conflict_columns = ctx.params.on_conflict.value_or(table->primary_key);
        }
        const bool resolution_applies = !conflict_columns.empty();
        const Result result =
            payload->has_rows ? read_result(tx.run(build_insert(*table, ctx.params, *payload,
                                                                ctx.preferences, conflict_columns)))
                              : Result{};
        tx.commit();
        return respond_create(ctx, result, resolution_applies);
    }
    const Return representation = ctx.preferences.representation.value_or(Return::minimal);
    const Result result = read_result(tx.run(
        mutation == Mutation::update ? build_update(*table, ctx.params, *payload, representation)
                                     : build_delete(*table, ctx.params, representation)));
    refuse_beyond_max_affected(ctx.preferences, result);  // the Transaction rolls back
    tx.commit();
    return respond_update_or_delete(ctx, result, mutation);
}

}  // namespace

Reply handle_request(const GatewayOptions& options, ConnectionPool& pool,
                     const RecordedRequest& request, std::int64_t now_seconds) {
    const std::string prefix = kRestPrefix;
    if (request.path.compare(0, prefix.size(), prefix) != 0) return no_route_reply();
    const std::string table_name = request.path.substr(prefix.size());

    FormPairs pairs = parse_form_pairs(request.raw_query);
    // ?apikey= is the gateway's; PostgREST never sees it as a filter.
    std::optional<std::string> apikey_param;
    for (const auto& [name, value] : pairs) {
        if (name == "apikey" && !apikey_param) apikey_param = value;
    }
    pairs.erase(std::remove_if(pairs.begin(), pairs.end(),
                               [](const auto& pair) { return pair.first == "apikey"; }),
                pairs.end());

    const AuthOutcome auth = authenticate(options, request.headers, apikey_param, now_seconds);
    if (!auth.identity) return *auth.refusal;
    if (request.method == "OPTIONS") {
        return Reply{200, {{"Allow", "OPTIONS,GET,HEAD,POST,PATCH,DELETE"}}, ""};
    }
    try {
        const Preferences preferences = parse_preferences(request.headers);
        if (preferences.handling == Handling::strict && !preferences.invalid.empty()) {
            std::string invalid;
            for (const auto& p : preferences.invalid) invalid += (invalid.empty() ? "" : ", ") + p;
            throw ApiError(400, "PGRST122", "Invalid preferences given with handling=strict",
                           "Invalid preferences: " + invalid);
        }
        const RequestParams params = parse_request_params(pairs);
        if (text::starts_with(table_name, "rpc/")) {
            const std::string function = table_name.substr(4);
            if (function.empty() || function.find('/') != std::string::npos) {
                throw ApiError(404, "PGRST125", "Invalid path specified in request URL");
            }
            return serve_rpc(
                RpcRequest{options, pool, request, function, *auth.identity, preferences, params});
        }
        if (table_name.empty() || table_name.find('/') != std::string::npos) {
            throw ApiError(404, "PGRST125", "Invalid path specified in request URL");
        }
        return serve(RequestContext{options, pool, request, table_name, *auth.identity, preferences,
                                    params});
    } catch (const ApiError& error) {
        return error_reply(error);
    } catch (const PgError& error) {
        return error_reply(api_error_from(error, auth.identity->authed));
    } catch (const std::exception& error) {
        return error_reply(ApiError(500, "PGRSTX00", error.what()));
    }
}

}  // namespace jobsync::testing::gateway
