# Every image of the stack, one target each, all from one Debian 12 base and Debian's packages
# (make image builds them all, tagged with make getver's version):
#   postgres    PostgreSQL 15, initialised at the first start with the superuser's password from a file.
#   redis       Redis 7 (server and Sentinel), requiring the password of a file.
#   nginx       nginx with nginx/nginx.conf.template, rendered by nginx/render.sh at start; public/ inside.
#   migrate     psql, scripts/migrate.sh and sql/: applies the migrations and roles, then exits.
#   nutcracker  twemproxy, for the scaled topology (deploy/scaled/compose.yml): the sharded profile cache.
#   app         login-fcgi with only its runtime libraries, as an unprivileged user; TCP :9000.
#
# BASE_IMAGE is the base of every stage. make image passes localhost/debian:12-slim, made from
# Debian's mirror by scripts/base-image.sh where no registry is reachable; with a registry,
# `make image BASE_IMAGE=debian:12-slim` pins the image it pulls by its digest (name@sha256:...).
# Nothing is downloaded but Debian's packages, from the mirror the base's sources.list names.
# app stays the last stage, so a plain `docker build .` still builds it; the other stages come first
# and none of them depends on the compile stage.
ARG BASE_IMAGE=localhost/debian:12-slim

FROM ${BASE_IMAGE} AS postgres
# postgresql-common would create and start a "main" cluster while it installs: the entrypoint makes
# the cluster, on the data volume, at the first start.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-common \
    && sed -ri 's/#(create_main_cluster) .*$/\1 = false/' /etc/postgresql-common/createcluster.conf \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/postgresql/data /var/run/postgresql /docker-entrypoint-initdb.d \
    && chown postgres:postgres /var/lib/postgresql/data /var/run/postgresql \
    && chmod 700 /var/lib/postgresql/data
COPY deploy/containers/postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data POSTGRES_DB=login
USER postgres
EXPOSE 5432
# Over TCP: while the first start initialises the cluster, the server listens on its socket only.
HEALTHCHECK --interval=5s --timeout=5s --start-period=30s --retries=12 \
    CMD pg_isready -q -h 127.0.0.1 -U postgres -d "$POSTGRES_DB"
# A fast shutdown: ends the sessions, writes a checkpoint, exits (the default SIGTERM is a smart
# shutdown, which waits for every client to leave).
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint"]
CMD ["postgres"]
ARG VERSION=dev
ARG REVISION=unknown
ARG BASE_NAME=
ARG BASE_DIGEST=
LABEL org.opencontainers.image.title="login-postgres" \
      org.opencontainers.image.description="PostgreSQL 15 from Debian 12 for the login platform" \
      org.opencontainers.image.version="$VERSION" org.opencontainers.image.revision="$REVISION" \
      org.opencontainers.image.base.name="$BASE_NAME" org.opencontainers.image.base.digest="$BASE_DIGEST"

FROM ${BASE_IMAGE} AS redis
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /data /run/redis && chown redis:redis /data /run/redis && chmod 700 /data /run/redis
COPY redis/sessions.conf redis/cache.conf /etc/login/redis/
COPY deploy/containers/redis-start.sh /usr/local/bin/redis-start
COPY deploy/containers/redis-health.sh /usr/local/bin/redis-health
USER redis
WORKDIR /data
EXPOSE 6379
HEALTHCHECK --interval=5s --timeout=3s --retries=12 CMD ["redis-health"]
ENTRYPOINT ["/usr/local/bin/redis-start"]
# The session store's settings (AOF, no eviction); the cache is "/etc/login/redis/cache.conf".
CMD ["/etc/login/redis/sessions.conf"]
ARG VERSION=dev
ARG REVISION=unknown
ARG BASE_NAME=
ARG BASE_DIGEST=
LABEL org.opencontainers.image.title="login-redis" \
      org.opencontainers.image.description="Redis 7 from Debian 12 for the login platform, password required" \
      org.opencontainers.image.version="$VERSION" org.opencontainers.image.revision="$REVISION" \
      org.opencontainers.image.base.name="$BASE_NAME" org.opencontainers.image.base.digest="$BASE_DIGEST"

FROM ${BASE_IMAGE} AS nginx
# curl is there for the health check.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx curl \
    && rm -rf /var/lib/apt/lists/*
COPY nginx/nginx.conf.template nginx/fastcgi_params.conf nginx/security_headers.conf nginx/hashing.conf nginx/render.sh /opt/login/nginx/
COPY public /opt/login/public
# The master runs as root, as in the registry's nginx image, to bind and to open /dev/stdout;
# its workers run as www-data.
ENV STACK_DIR=/var/lib/login-nginx PUBLIC_DIR=/opt/login/public LISTEN=8080 \
    APP_UPSTREAM=app:9000 AUTH_UPSTREAM=auth:9000 ACCESS_LOG=/dev/stdout ERROR_LOG=stderr
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${LISTEN##*:}/login"
# SIGQUIT: a graceful shutdown that lets requests in flight finish.
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/opt/login/nginx/render.sh"]
CMD ["nginx", "-p", "/var/lib/login-nginx/nginx/", "-c", "/var/lib/login-nginx/nginx/nginx.conf", "-e", "stderr", \
     "-g", "daemon off;"]
ARG VERSION=dev
ARG REVISION=unknown
ARG BASE_NAME=
ARG BASE_DIGEST=
LABEL org.opencontainers.image.title="login-nginx" \
      org.opencontainers.image.description="nginx and the static pages of the login platform" \
      org.opencontainers.image.version="$VERSION" org.opencontainers.image.revision="$REVISION" \
      org.opencontainers.image.base.name="$BASE_NAME" org.opencontainers.image.base.digest="$BASE_DIGEST"

FROM ${BASE_IMAGE} AS migrate
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*
COPY scripts/migrate.sh /opt/login/scripts/migrate.sh
COPY sql /opt/login/sql
USER nobody
ENTRYPOINT ["/opt/login/scripts/migrate.sh"]
ARG VERSION=dev
ARG REVISION=unknown
ARG BASE_NAME=
ARG BASE_DIGEST=
LABEL org.opencontainers.image.title="login-migrate" \
      org.opencontainers.image.description="Database migrations of the login platform (one-shot)" \
      org.opencontainers.image.version="$VERSION" org.opencontainers.image.revision="$REVISION" \
      org.opencontainers.image.base.name="$BASE_NAME" org.opencontainers.image.base.digest="$BASE_DIGEST"

FROM ${BASE_IMAGE} AS nutcracker
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nutcracker \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /run/nutcracker && chown nobody:nogroup /run/nutcracker && chmod 700 /run/nutcracker
COPY deploy/containers/nutcracker-start.sh /usr/local/bin/nutcracker-start
COPY deploy/containers/nutcracker-health.sh /usr/local/bin/nutcracker-health
USER nobody
EXPOSE 22121
HEALTHCHECK --interval=5s --timeout=3s --retries=12 CMD ["nutcracker-health"]
ENTRYPOINT ["/usr/local/bin/nutcracker-start"]
ARG VERSION=dev
ARG REVISION=unknown
ARG BASE_NAME=
ARG BASE_DIGEST=
LABEL org.opencontainers.image.title="login-nutcracker" \
      org.opencontainers.image.description="twemproxy from Debian 12 for the login platform's sharded cache" \
      org.opencontainers.image.version="$VERSION" org.opencontainers.image.revision="$REVISION" \
      org.opencontainers.image.base.name="$BASE_NAME" org.opencontainers.image.base.digest="$BASE_DIGEST"

FROM ${BASE_IMAGE} AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        g++ make cmake pkg-config libfcgi-dev libhiredis-dev libpq-dev libjansson-dev libscrypt-dev libsodium-dev \
        libsystemd-dev libcurl4-openssl-dev liboath-dev libqrencode-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY fcgi-app fcgi-app
# The build type make build and make test use (-O2 -DNDEBUG; gcc 12 at -O3 also warns falsely
# about std::string, and warnings are errors) without -g: the image carries no debug information,
# and gcc makes the same machine code without it (objdump -d of both binaries is identical) with
# 30% less CPU time (155 CPU seconds instead of 223, measured with make's -j2 on 2 cores).
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" \
        -DLOGIN_BUILD_TESTS=OFF \
    && cmake --build build -j"$(nproc)" --target login-fcgi

FROM ${BASE_IMAGE} AS app
# libfcgi-bin brings cgi-fcgi: the health check sends a real FastCGI request to /healthz.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libfcgi0ldbl libhiredis0.14 libpq5 libjansson4 libscrypt0 libsodium23 libfcgi-bin \
        libsystemd0 libcurl4 liboath0 libqrencode4 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin login
COPY deploy/containers/app-entrypoint.sh /usr/local/bin/app-entrypoint
COPY --from=build /src/build/fcgi-app/login-fcgi /usr/local/bin/login-fcgi
USER login
# The pools' worker counts and priorities come from deploy/pools/ (compose's env_file); without
# them the program's default, 2 workers per CPU core.
ENV LOGIN_PROFILE=production LOGIN_SOCKET=:9000
EXPOSE 9000
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 \
    CMD env -i REQUEST_METHOD=GET DOCUMENT_URI=/healthz REQUEST_URI=/healthz \
        cgi-fcgi -bind -connect "127.0.0.1:${LOGIN_SOCKET##*:}" | grep -q '^Status: 200'
ENTRYPOINT ["/usr/local/bin/app-entrypoint"]
CMD ["serve"]
ARG VERSION=dev
ARG REVISION=unknown
ARG BASE_NAME=
ARG BASE_DIGEST=
LABEL org.opencontainers.image.title="login-fcgi" \
      org.opencontainers.image.description="The login platform's FastCGI workers (login-fcgi)" \
      org.opencontainers.image.version="$VERSION" org.opencontainers.image.revision="$REVISION" \
      org.opencontainers.image.base.name="$BASE_NAME" org.opencontainers.image.base.digest="$BASE_DIGEST"

# DEVELOPMENT AND TESTS ONLY (deploy/dev-only/mail-sink.yml): Debian's aiosmtpd, which keeps every
# mail it receives as a file of a Maildir (/var/mail/sink/new/) instead of sending it anywhere.
# Production sends through the company's relay (LOGIN_SMTP_URL).
FROM ${BASE_IMAGE} AS mailsink
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-aiosmtpd \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin mailsink \
    && mkdir -p /var/mail/sink/new /var/mail/sink/cur /var/mail/sink/tmp \
    && chown -R mailsink /var/mail/sink
USER mailsink
EXPOSE 2525
# Python as PID 1 ignores SIGTERM; SIGINT ends aiosmtpd at once.
STOPSIGNAL SIGINT
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 \
    CMD ["python3", "-c", "import socket; socket.create_connection(('127.0.0.1', 2525), 2)"]
CMD ["python3", "-m", "aiosmtpd", "-n", "-l", "0.0.0.0:2525", "-c", "aiosmtpd.handlers.Mailbox", "/var/mail/sink"]
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="login-mailsink" \
      org.opencontainers.image.description="Development only: an SMTP server that stores each mail as a file" \
      org.opencontainers.image.version="$VERSION" org.opencontainers.image.revision="$REVISION"
