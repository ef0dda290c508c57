# Production image of login-fcgi: built on Debian 12, shipped on a slim Debian 12 with only the
# runtime libraries. The container runs the supervisor listening on TCP :9000 for nginx.
FROM debian:12 AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        build-essential cmake pkg-config libfcgi-dev libhiredis-dev libpq-dev libjansson-dev \
        libscrypt-dev libsodium-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY fcgi-app fcgi-app
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLOGIN_BUILD_TESTS=OFF && cmake --build build -j"$(nproc)" --target login-fcgi

FROM debian:12-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libfcgi0ldbl libhiredis0.14 libpq5 libjansson4 libscrypt0 libsodium23 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home --shell /usr/sbin/nologin login
COPY --from=build /src/build/fcgi-app/login-fcgi /usr/local/bin/login-fcgi
USER login
ENV LOGIN_PROFILE=production LOGIN_SOCKET=:9000 LOGIN_WORKERS=8
EXPOSE 9000
ENTRYPOINT ["/usr/local/bin/login-fcgi"]
CMD ["serve"]
