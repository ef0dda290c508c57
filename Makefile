# Entry points for building, running and testing the login platform on one machine.
# Every port, directory and pool size below can be overridden: make run HTTP_PORT=9090, or from the environment.

SHELL := /bin/bash

BUILD_DIR    ?= build
BUILD_TYPE   ?= RelWithDebInfo
JOBS         ?= 2
LOGIN_BIN    ?= $(BUILD_DIR)/fcgi-app/login-fcgi

# Development stack (make run / stop / status).
STACK_DIR    ?= var
HTTP_PORT    ?= 8080
PG_PORT      ?= 5433
REDIS_PORT   ?= 6380
# Empty: the profile cache shares the session Redis (one round trip per page). A port: its own Redis.
CACHE_REDIS_PORT ?=
# Worker counts, over the pools' description (deploy/pools/); empty: scripts/stack.sh's choice,
# 2 app workers per CPU core and auth.env's auth workers.
APP_WORKERS  ?=
AUTH_WORKERS ?=

# Throw-away stack for make test; wiped before every run.
TEST_STACK_DIR    ?= var/test
TEST_HTTP_PORT    ?= 18080
TEST_PG_PORT      ?= 15433
TEST_REDIS_PORT   ?= 16380
# The test stack keeps the cache on its own Redis, so the fault tests can stop one without the other.
TEST_CACHE_REDIS_PORT ?= 16381
# 8 app workers whatever the cores: the rolling-restart test needs the deploy to last long enough
# for its load to make 50 requests, which 2 workers per core on 2 cores do not give it.
TEST_APP_WORKERS  ?= 8
TEST_AUTH_WORKERS ?= $(AUTH_WORKERS)
TEST_TLS_PORT     ?= 18443
# The e2e tests send from 127.0.0.2 as a trusted proxy, and fill a small password-hashing queue.
TEST_TRUSTED_PROXY ?= 127.0.0.2
TEST_HASH_QUEUE    ?= 4
# Registrations an hour per network: room for the suite's own sign-ups from 127.0.0.1.
TEST_REGISTER_PER_HOUR ?= 200
# Password-hashing requests per client address (nginx): room for the suite's own logins from
# 127.0.0.1 and for the registration-limit test (a burst above TEST_REGISTER_PER_HOUR); the
# concurrent share per address keeps its production value.
TEST_HASH_RATE  ?= 50r/s
TEST_HASH_BURST ?= 250
TEST_HASH_PER_ADDRESS ?= 4

# Extra ctest arguments for make test, e.g. CTEST_ARGS='-R e2e_login -L e2e'.
CTEST_ARGS ?=

# Sanitizer build of the unit and integration tests (make test-sanitize) and the libFuzzer
# targets (make fuzz), each in a build directory of its own.
ASAN_BUILD_DIR ?= build-asan
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_CXX       ?= clang++
FUZZ_SECONDS   ?= 60
FUZZ_TARGETS   ?=

DEMO_PASSWORD ?= demo-pass-123
KEY_PREFIX    := login:

# What scripts/stack.sh (and the scripts around it) read, from the make variables named with the
# prefix $(1): none for the development stack, TEST_ for the throw-away one.
stack_env = STACK_DIR='$(abspath $($(1)STACK_DIR))' HTTP_PORT='$($(1)HTTP_PORT)' PG_PORT='$($(1)PG_PORT)' \
	REDIS_PORT='$($(1)REDIS_PORT)' CACHE_REDIS_PORT='$($(1)CACHE_REDIS_PORT)' \
	APP_WORKERS='$($(1)APP_WORKERS)' AUTH_WORKERS='$($(1)AUTH_WORKERS)' \
	LOGIN_BIN='$(LOGIN_BIN)' LOGIN_KEY_PREFIX='$(KEY_PREFIX)' DEMO_PASSWORD='$(DEMO_PASSWORD)'

DEV_ENV = $(call stack_env,)

TEST_ENV = $(call stack_env,TEST_) TLS_PORT='$(TEST_TLS_PORT)' \
	LOGIN_TRUSTED_PROXIES='$(TEST_TRUSTED_PROXY)' LOGIN_HASH_QUEUE='$(TEST_HASH_QUEUE)' \
	LOGIN_RATE_REGISTER_IP_PER_HOUR='$(TEST_REGISTER_PER_HOUR)' LOGIN_MAIL_RETRY_SECONDS=1 \
	LOGIN_HASH_RATE='$(TEST_HASH_RATE)' LOGIN_HASH_BURST='$(TEST_HASH_BURST)' LOGIN_HASH_PER_ADDRESS='$(TEST_HASH_PER_ADDRESS)'

# What the C++ tests read to find the throw-away stack, in its terms: from TEST_ENV (exported by
# then, so each setting above is written once) and from the record scripts/stack.sh keeps of what
# it derived itself (the worker counts, the mail sink's port, nginx's hashing slots).
stack_record = $$(sed -n 's/^$(1)=//p' "$$STACK_DIR/stack.env")
CTEST_ENV = TEST_BASE_URL="http://127.0.0.1:$$HTTP_PORT" \
	TEST_PG_ADMIN_URL="postgresql://postgres@127.0.0.1:$$PG_PORT/postgres" \
	TEST_DATABASE_URL="postgresql://login_app@127.0.0.1:$$PG_PORT/login" \
	TEST_REDIS_URL="redis://127.0.0.1:$$REDIS_PORT/0" \
	TEST_CACHE_REDIS_URL="redis://127.0.0.1:$$CACHE_REDIS_PORT/0" \
	TEST_STACK_DIR="$$STACK_DIR" \
	TEST_NGINX_ACCESS_LOG="$$STACK_DIR/log/access.log" \
	TEST_SQL_DIR='$(CURDIR)/sql' \
	TEST_KEY_PREFIX="$$LOGIN_KEY_PREFIX" \
	TEST_TRUSTED_PROXY="$$LOGIN_TRUSTED_PROXIES" \
	TEST_REGISTER_PER_HOUR="$$LOGIN_RATE_REGISTER_IP_PER_HOUR" \
	TEST_TLS_BASE_URL="https://127.0.0.1:$$TLS_PORT" \
	TEST_TLS_CA="$$STACK_DIR/tls/cert.pem" \
	TEST_APP_WORKERS="$(call stack_record,APP_WORKERS)" TEST_AUTH_WORKERS="$(call stack_record,AUTH_WORKERS)" \
	TEST_MAIL_DIR="$$STACK_DIR/mail" \
	TEST_SMTP_PORT="$(call stack_record,SMTP_PORT)" \
	TEST_HASH_SLOTS="$(call stack_record,HASH_SLOTS)" \
	TEST_HASH_BURST="$$LOGIN_HASH_BURST" TEST_HASH_PER_ADDRESS="$$LOGIN_HASH_PER_ADDRESS"

.DEFAULT_GOAL := build
.PHONY: deps build run stop status test test-sanitize fuzz getver image base-image test-containers clean seed-bulk bench backup restore

deps:
	@scripts/deps.sh

build:
	@# MAKELEVEL unset: the build's own make runs as a top-level make (no "Entering directory" noise).
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) && env -u MAKELEVEL cmake --build $(BUILD_DIR) -j$(JOBS)

# Safe to repeat: running pieces stay up, workers restart on the new binary, nginx reloads its config.
run: deps build
	@$(DEV_ENV) scripts/stack.sh start
	@$(DEV_ENV) scripts/seed-demo.sh
	@echo
	@echo "  Open http://127.0.0.1:$(HTTP_PORT)/"
	@echo "  Demo logins (development only): admin1 / $(DEMO_PASSWORD)   user1 / $(DEMO_PASSWORD)"
	@echo "  Demo API client (development only): reporting, token dev-reporting-token-0123456789abcdef (users:read)"
	@echo "  Mails the stack sends (password resets, verification links): $(STACK_DIR)/mail/new/"
	@echo "  Logs: $(STACK_DIR)/log/   Stop: make stop"

stop:
	@$(DEV_ENV) scripts/stack.sh stop

status:
	@$(DEV_ENV) scripts/stack.sh status

# Starts the throw-away test stack with workers running $(1), exports what the tests read, and
# stops the stack whatever happens (trap, quietly so that ctest's summary stays last). The
# recipe line that uses it goes on after it, while the stack is up.
define test_stack_up
set -euo pipefail; \
export $(TEST_ENV) LOGIN_BIN='$(1)'; \
scripts/stack.sh stop >/dev/null 2>&1 || true; \
rm -rf '$(TEST_STACK_DIR)'; \
trap 'scripts/stack.sh stop >>"$$STACK_DIR/log/stop.log" 2>&1 || echo "make: stopping the test stack failed, see $$STACK_DIR/log/stop.log" >&2' EXIT; \
scripts/stack.sh start; \
scripts/seed-demo.sh; \
export $(CTEST_ENV);
endef

# The exit status is ctest's.
test: deps build
	@$(call test_stack_up,$(LOGIN_BIN)) \
	ctest --test-dir $(BUILD_DIR) --output-on-failure $(CTEST_ARGS)

# The unit and integration tests built with AddressSanitizer and UndefinedBehaviorSanitizer
# (any report fails the test), against the same throw-away stack as make test, whose workers
# run the sanitized binary too. Only those test executables are built (one make goal, so that
# -j applies across them).
test-sanitize: deps
	cmake -S . -B $(ASAN_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLOGIN_SANITIZE=ON && \
	env -u MAKELEVEL cmake --build $(ASAN_BUILD_DIR) -j$(JOBS) --target tests_sanitized
	@$(call test_stack_up,$(ASAN_BUILD_DIR)/fcgi-app/login-fcgi) \
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1; \
	ctest --test-dir $(ASAN_BUILD_DIR) -L 'unit|integration' --output-on-failure

# Builds the libFuzzer targets of test/fuzz with clang and runs each for FUZZ_SECONDS
# (FUZZ_TARGETS=fuzz_json to run some only); fails when any target finds a crash. See docs/FUZZING.md.
fuzz: deps
	cmake -S . -B $(FUZZ_BUILD_DIR) -DCMAKE_CXX_COMPILER=$(FUZZ_CXX) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DLOGIN_FUZZ=ON -DLOGIN_BUILD_TESTS=OFF && \
	env -u MAKELEVEL cmake --build $(FUZZ_BUILD_DIR) -j$(JOBS)
	@FUZZ_SECONDS='$(FUZZ_SECONDS)' scripts/fuzz.sh $(FUZZ_BUILD_DIR) $(FUZZ_TARGETS)

# Bulk users for the scale proof, loaded into the running make run stack: bulk1..bulk$(USERS), password bulk-pass-123.
USERS ?= 1000000

seed-bulk:
	@$(DEV_ENV) USERS='$(USERS)' scripts/seed-bulk.sh

# Backup and restore of the make run stack (docs/DEPLOYMENT.md): make backup writes
# $(BACKUP_DIR)/<UTC time>/; make restore BACKUP=<that directory> puts it back.
BACKUP_DIR ?= $(STACK_DIR)/backups
BACKUP ?=

backup:
	@$(DEV_ENV) BACKUP_DIR='$(BACKUP_DIR)' scripts/backup.sh

restore:
	@test -n '$(BACKUP)' || { echo "make restore needs BACKUP=<a directory of make backup>, e.g. BACKUP=$$(ls -d $(BACKUP_DIR)/* 2>/dev/null | tail -n1)" >&2; exit 2; }
	@$(DEV_ENV) scripts/restore.sh '$(BACKUP)'

# The scale proof against the running make run stack (after seed-bulk); not part of make test. See docs/PERFORMANCE.md.
bench:
	@$(DEV_ENV) bench/run.sh

GIT_DESCRIBE := git describe --always --dirty --tags

getver:
	@echo "GIT_COMMIT=$$($(GIT_DESCRIBE))"

# Every image of the stack (postgres, redis, nginx, migrate, nutcracker, app), built with podman or
# docker (CONTAINER_ENGINE chooses; podman when installed) from BASE_IMAGE and tagged with the
# GIT_COMMIT that make getver prints. The Debian base is made first when it is missing (base-image).
BASE_IMAGE ?= localhost/debian:12-slim

image:
	@BASE_IMAGE='$(BASE_IMAGE)' scripts/image.sh

base-image:
	@scripts/base-image.sh '$(BASE_IMAGE)'

# The compose stack built, brought up and checked as users and operators meet it
# (test/deploy/containers_test.sh); nginx publishes COMPOSE_HTTP_PORT and COMPOSE_HTTPS_PORT.
# Ends with down -v. Fails where no container engine can start a container, unless
# CONTAINERS_OPTIONAL=1: then the test says why it skipped (exit 77) and make succeeds.
COMPOSE_HTTP_PORT  ?= 28090
COMPOSE_HTTPS_PORT ?= 28091
CONTAINERS_OPTIONAL ?=

test-containers: deps
	@BASE_IMAGE='$(BASE_IMAGE)' COMPOSE_HTTP_PORT='$(COMPOSE_HTTP_PORT)' COMPOSE_HTTPS_PORT='$(COMPOSE_HTTPS_PORT)' \
	  CONTAINERS_OPTIONAL='$(CONTAINERS_OPTIONAL)' test/deploy/containers_test.sh \
	  || { rc=$$?; [[ $$rc == 77 && '$(CONTAINERS_OPTIONAL)' == 1 ]] || exit $$rc; }

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR) $(FUZZ_BUILD_DIR)
