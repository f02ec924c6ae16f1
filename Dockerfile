# job-sync as a container image: `docker build -t job-sync .`, then
#   docker run --rm --env-file .env job-sync                      # runs `job-sync sync`
#   docker run --rm --env-file .env job-sync sync --pages 3 --report /dev/stdout
# Keys come from the environment at run time; nothing secret is baked into the image.

# --- build: the same Debian packages and the same `make install` as on a developer's machine
FROM debian:12 AS build
COPY tests/scripts/install-deps.sh /usr/local/sbin/install-deps.sh
RUN /usr/local/sbin/install-deps.sh --service && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make install BUILD_DIR=/tmp/build JOBS="$(nproc)" \
        CMAKE_FLAGS="-DJOBSYNC_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release" \
        PREFIX=/usr/local DESTDIR=/staging INSTALL_FLAGS=--strip \
    && /staging/usr/local/bin/job-sync --version

# --- runtime: the shared libraries job-sync links and CA certificates, no compiler
FROM debian:12-slim AS runtime
COPY tests/scripts/install-deps.sh /usr/local/sbin/install-deps.sh
RUN /usr/local/sbin/install-deps.sh --runtime \
    && rm -rf /var/lib/apt/lists/* /usr/local/sbin/install-deps.sh \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin job-sync
COPY --from=build /staging/usr/local/ /usr/local/
# Numeric, so Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
WORKDIR /tmp
ENTRYPOINT ["job-sync"]
CMD ["sync"]
