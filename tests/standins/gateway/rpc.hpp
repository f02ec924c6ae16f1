// `POST /rest/v1/rpc/<function>` as PostgREST serves it (functions.rst; Plan.hs callPlan,
// Query/QueryBuilder.hs callPlanToQuery, Response.hs): the JSON object's keys name the
// arguments, the call runs as the request's role (so EXECUTE privileges and RLS apply), and
// the result is shaped by the return type: a scalar (jsonb included) is the JSON value itself,
// SETOF a JSON array, a composite an object, void 204 without a body.
//
// Not modelled: GET/HEAD calls, filters/select/order on the result, a single unnamed
// parameter, form-encoded and raw bodies (they answer 400 PGRST127).
#pragma once

#include <string>
#include <vector>

#include "standins/gateway/auth.hpp"
#include "standins/gateway/connection_pool.hpp"
#include "standins/gateway/payload.hpp"
#include "standins/gateway/prefer.hpp"
#include "standins/gateway/request_params.hpp"
#include "standins/gateway/routines.hpp"
#include "standins/gateway/statements.hpp"

namespace jobsync::testing::gateway {

// The call with the body's keys as named arguments (in the function's parameter order), one
// row in the shape of statements.hpp: page_total and the JSON body. Pure.
Statement build_call(const RoutineInfo& routine, const Payload& payload);

struct RpcRequest {
    const GatewayOptions& options;
    ConnectionPool& pool;
    const RecordedRequest& request;
    const std::string& function;  // the name after /rpc/
    const Identity& identity;
    const Preferences& preferences;
    const RequestParams& params;
};

// Throws ApiError / PgError like the table handler; the caller turns them into replies.
Reply serve_rpc(const RpcRequest& rpc);

}  // namespace jobsync::testing::gateway
