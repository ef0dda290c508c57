# Production images of the login platform, one target each (make image builds all four):
#   app         login-fcgi on a slim Debian 12 with only the runtime libraries; the supervisor listens on TCP :9000.
#   nginx       Debian's nginx with nginx/nginx.conf.template, rendered by nginx/render.sh at start; public/ inside.
#   migrate     psql, scripts/migrate.sh and sql/: applies the migrations and roles, then exits.
#   nutcracker  Debian's twemproxy, for docker-compose.yml's scaled profile (the sharded profile cache).
# app stays the last stage, so a plain `docker build .` still builds it. nginx, migrate and nutcracker come
# first and do not depend on the compile stage, so building them never compiles anything.

FROM debian:12-slim AS nginx
# curl is there for docker-compose.yml's health check.
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        nginx curl \
    && rm -rf /var/lib/apt/lists/*
COPY nginx/nginx.conf.template nginx/fastcgi_params.conf nginx/security_headers.conf nginx/hashing.conf nginx/render.sh /opt/login/nginx/
COPY public /opt/login/public
# The master runs as root, as in the official nginx image, to open /dev/stdout; workers run as www-data.
ENV STACK_DIR=/var/lib/login-nginx PUBLIC_DIR=/opt/login/public LISTEN=8080 \
    APP_UPSTREAM=app:9000 AUTH_UPSTREAM=auth:9000 ACCESS_LOG=/dev/stdout ERROR_LOG=stderr
EXPOSE 8080
ENTRYPOINT ["/opt/login/nginx/render.sh"]
CMD ["nginx", "-p", "/var/lib/login-nginx/nginx/", "-c", "/var/lib/login-nginx/nginx/nginx.conf", "-e", "stderr", \
     "-g", "daemon off;"]

FROM debian:12-slim AS migrate
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY scripts/migrate.sh /opt/login/scripts/migrate.sh
COPY sql /opt/login/sql
USER nobody
ENTRYPOINT ["/opt/login/scripts/migrate.sh"]

FROM debian:12-slim AS nutcracker
# The config comes from docker-compose.yml (deploy/scaled/nutcracker.yml). bash stays for its health check.
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        nutcracker \
    && rm -rf /var/lib/apt/lists/*
USER nobody
EXPOSE 22121
ENTRYPOINT ["/usr/sbin/nutcracker"]
# An empty --output logs to stderr (Debian's default is a file under /var/log/nutcracker, which nobody
# cannot write, and a non-root process cannot open /dev/stderr in a container). Stats stay local.
CMD ["--conf-file=/etc/nutcracker/nutcracker.yml", "--output=", "--stats-addr=127.0.0.1"]

FROM debian:12 AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        build-essential cmake pkg-config libfcgi-dev libhiredis-dev libpq-dev libjansson-dev \
        libscrypt-dev libsodium-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY fcgi-app fcgi-app
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLOGIN_BUILD_TESTS=OFF && cmake --build build -j"$(nproc)" --target login-fcgi

FROM debian:12-slim AS app
# libfcgi-bin brings cgi-fcgi: docker-compose.yml's health check sends a real FastCGI request to /healthz.
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libfcgi0ldbl libhiredis0.14 libpq5 libjansson4 libscrypt0 libsodium23 libfcgi-bin \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home --shell /usr/sbin/nologin login
COPY --from=build /src/build/fcgi-app/login-fcgi /usr/local/bin/login-fcgi
USER login
ENV LOGIN_PROFILE=production LOGIN_SOCKET=:9000 LOGIN_WORKERS=8
EXPOSE 9000
ENTRYPOINT ["/usr/local/bin/login-fcgi"]
CMD ["serve"]
