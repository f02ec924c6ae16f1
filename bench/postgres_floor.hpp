// Floor (b), PostgreSQL alone taking the same rows: psql `\copy` of the rows into a temp table,
// then one INSERT ... ON CONFLICT (job_id) DO UPDATE of the sync's columns into public.jobs,
// on the same cluster, table, indexes and trigger the service writes to.
#pragma once

#include <string>

namespace jobsync::bench {

struct PostgresTarget {
    int port = 0;         // the cluster on 127.0.0.1, user postgres, trust auth
    std::string workdir;  // where the script and psql's output go
};

struct PostgresFloor {
    double wall_seconds = 0;    // psql from start to exit
    double copy_seconds = 0;    // \copy, as psql's \timing reports it
    double insert_seconds = 0;  // the INSERT ... ON CONFLICT
    double psql_cpu_seconds = 0;
};

// Throws when psql fails (its output is in the message).
PostgresFloor measure_postgres_floor(const PostgresTarget& target, const std::string& copy_path);

}  // namespace jobsync::bench
