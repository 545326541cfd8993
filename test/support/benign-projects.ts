/*
 * Ordinary compose projects, each in the shape of a real-world one (named in its compose file's first
 * comment), with busybox stand-ins for the real programs: no registry is reachable here, so every image is
 * built FROM the local base image or is that image itself. Each web page prints what the service read from
 * the others, its configuration or its environment, so that a test reading the page sees the wiring work.
 * httpd, nc and sh as PID 1 ignore SIGTERM: the services that run them have a short stop_grace_period, so a
 * redeploy does not wait Docker's 10 s for each.
 */

export type ProjectFiles = Record<string, string>;

export const BASE_IMAGE = 'testausdeploy/busybox:latest';

/**
 * The text as a file of the repository: the indentation it has in this source file removed, one newline at
 * the end. Shell and compose variables are written `\${…}` here so that TypeScript leaves them alone.
 */
function file(text: string): string {
  const lines = text
    .replace(/^\n/, '')
    .replace(/\n\s*$/, '')
    .split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length));
  return `${lines.map((line) => line.slice(indent)).join('\n')}\n`;
}

/**
 * A CGI script of busybox httpd, which serves `cgi-bin/index.cgi` for `/` when there is no index.html. httpd
 * passes the script's header lines on as they are, and fetch refuses lines that end in a bare LF.
 */
function cgi(body: string): string {
  return `#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\n${file(body)}`;
}

/**
 * A web image: httpd on `port` whose page is the output of `body`. git-host commits every file without the
 * executable bit, hence the chmod.
 */
function cgiImage(dir: string, body: string, port = 8080): ProjectFiles {
  return {
    [`${dir}/Dockerfile`]: file(`
      FROM ${BASE_IMAGE}
      COPY index.cgi /www/cgi-bin/index.cgi
      RUN chmod +x /www/cgi-bin/index.cgi
      CMD ["httpd", "-f", "-p", "${port}", "-h", "/www"]
    `),
    [`${dir}/index.cgi`]: cgi(body),
  };
}

/**
 * A TCP server's stand-in: every connection to `port` gets `greeting` and is closed, as a client's first read
 * of Postgres or Redis would see the server there. `delaySeconds` is how long it takes to start listening.
 */
function listenerImage(dir: string, port: number, greeting: string, delaySeconds = 0): ProjectFiles {
  const listen = `nc -ll -p ${port} -e /usr/local/bin/greet`;
  return {
    [`${dir}/Dockerfile`]: file(`
      FROM ${BASE_IMAGE}
      COPY greet /usr/local/bin/greet
      RUN chmod +x /usr/local/bin/greet
      CMD ${delaySeconds ? `["sh", "-c", "sleep ${delaySeconds} && exec ${listen}"]` : JSON.stringify(listen.split(' '))}
    `),
    [`${dir}/greet`]: `#!/bin/sh\necho '${greeting}'\n`,
  };
}

/** Prints `url`'s host:port and what a connection there first reads, as an app reaches its service. */
const CONNECT = file(`
  connect() {
    at=$(echo "$1" | sed 's|^[a-z]*://||; s|^.*@||; s|/.*$||')
    echo "$at: $(nc "$(echo "$at" | cut -d: -f1)" "$(echo "$at" | cut -d: -f2)" </dev/null)"
  }
`);

export const POSTGRES_GREETING = 'postgres: accepting connections';
export const REDIS_GREETING = '+PONG';

/** Web, database and cache, the web reaching both by service name on the project's default network. */
export function webDbCache(port: number): ProjectFiles {
  return {
    'docker-compose.yml': file(`
      # awesome-compose's Django + Postgres + Redis: db and cache stand in for postgres:16 and redis:7, the web for
      # the app that connects to both through the URLs in its environment.
      services:
        web:
          build: ./web
          ports:
            - "127.0.0.1:${port}:8080"
          environment:
            DATABASE_URL: postgres://app:app@db:5432/app
            REDIS_URL: redis://cache:6379/0
          depends_on:
            - db
            - cache
          healthcheck:
            test: ["CMD-SHELL", "nc db 5432 </dev/null | grep -q 'accepting connections'"]
            interval: 1s
            timeout: 2s
            retries: 30
          stop_grace_period: 1s
        db:
          build: ./db
          environment:
            POSTGRES_USER: app
            POSTGRES_PASSWORD: app
          stop_grace_period: 1s
        cache:
          build: ./cache
          stop_grace_period: 1s
    `),
    ...cgiImage('web', `${CONNECT}connect "$DATABASE_URL"\nconnect "$REDIS_URL"\n`),
    ...listenerImage('db', 5432, POSTGRES_GREETING),
    ...listenerImage('cache', 6379, REDIS_GREETING),
  };
}

/** A queue worker that starts only once its database is healthy, and a web that waits for the worker. */
export function workerQueue(port: number): ProjectFiles {
  return {
    'docker-compose.yml': file(`
      # A Celery/Sidekiq worker beside a Rails or Django web: the worker crashes when it finds no database at start
      # (db, postgres:16's stand-in, takes two seconds to listen), so it waits for db to be healthy; the web reads
      # the worker's state from its status port.
      services:
        db:
          build: ./db
          healthcheck:
            test: ["CMD-SHELL", "nc 127.0.0.1 5432 </dev/null | grep -q 'accepting connections'"]
            interval: 1s
            timeout: 2s
            retries: 30
          stop_grace_period: 1s
        worker:
          build: ./worker
          depends_on:
            db:
              condition: service_healthy
          expose:
            - "9000"
          healthcheck:
            test: ["CMD", "test", "-f", "/tmp/worker-ready"]
            interval: 1s
            retries: 30
          stop_grace_period: 1s
        web:
          build: ./web
          ports:
            - "127.0.0.1:${port}:8080"
          depends_on:
            worker:
              condition: service_healthy
          stop_grace_period: 1s
    `),
    ...listenerImage('db', 5432, POSTGRES_GREETING, 2),
    'worker/Dockerfile': file(`
      FROM ${BASE_IMAGE}
      COPY start status /usr/local/bin/
      RUN chmod +x /usr/local/bin/start /usr/local/bin/status
      CMD ["/usr/local/bin/start"]
    `),
    'worker/start': file(`
      #!/bin/sh
      greeting=$(nc db 5432 </dev/null)
      if [ -z "$greeting" ]; then echo 'no database' >&2; exit 1; fi
      echo "connected at start: $greeting" > /tmp/status
      touch /tmp/worker-ready
      exec nc -ll -p 9000 -e /usr/local/bin/status
    `),
    'worker/status': '#!/bin/sh\ncat /tmp/status\n',
    ...cgiImage('web', 'echo "worker: $(nc worker 9000 </dev/null)"'),
  };
}

/** A one-shot migration that must finish before the web starts, the database's files in a named volume. */
export function migrations(port: number, release: number): ProjectFiles {
  return {
    'docker-compose.yml': file(`
      # A Rails/Django deployment: "migrate" runs the migrations and exits, the web starts after it succeeded, and
      # the database's files (a busybox file standing in for postgres's data directory) live in a named volume.
      services:
        migrate:
          build: ./app
          command: ["/app/migrate"]
          environment:
            SCHEMA_VERSION: "${release}"
          volumes:
            - db-data:/var/lib/db
        web:
          build: ./app
          command: ["/app/serve"]
          ports:
            - "127.0.0.1:${port}:8080"
          environment:
            SCHEMA_VERSION: "${release}"
          depends_on:
            migrate:
              condition: service_completed_successfully
          volumes:
            - db-data:/var/lib/db
          stop_grace_period: 1s
      volumes:
        db-data:
    `),
    'app/Dockerfile': file(`
      FROM ${BASE_IMAGE}
      COPY migrate serve /app/
      COPY index.cgi /www/cgi-bin/index.cgi
      RUN chmod +x /app/migrate /app/serve /www/cgi-bin/index.cgi
    `),
    // Slow on purpose: a web started before the migration ended would find its schema missing and exit.
    'app/migrate': file(`
      #!/bin/sh
      sleep 2
      echo "applied migration $SCHEMA_VERSION" >> /var/lib/db/schema
    `),
    'app/serve': file(`
      #!/bin/sh
      if ! grep -qx "applied migration $SCHEMA_VERSION" /var/lib/db/schema; then
        echo "schema $SCHEMA_VERSION is not migrated" >&2
        exit 1
      fi
      exec httpd -f -p 8080 -h /www
    `),
    'app/index.cgi': cgi('cat /var/lib/db/schema'),
  };
}

/** A service in a profile nobody activates, and one activated by COMPOSE_PROFILES in `.env`. */
export function profiles(port: number): ProjectFiles {
  return {
    '.env': 'COMPOSE_PROFILES=monitoring\n',
    'docker-compose.yml': file(`
      # Optional tooling behind profiles, as self-hosted apps ship it: adminer (debug) stays off, the metrics
      # exporter (monitoring; node-exporter's stand-in) is switched on by COMPOSE_PROFILES in .env.
      services:
        web:
          build: ./web
          ports:
            - "127.0.0.1:${port}:8080"
          stop_grace_period: 1s
        metrics:
          build: ./metrics
          profiles: [monitoring]
          expose:
            - "9100"
          stop_grace_period: 1s
        adminer:
          image: ${BASE_IMAGE}
          profiles: [debug]
          command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
          stop_grace_period: 1s
    `),
    ...cgiImage('web', 'echo "metrics: $(nc metrics 9100 </dev/null)"'),
    ...listenerImage('metrics', 9100, 'node_up 1'),
  };
}

/** `./data:/data` where the repository has no data/: the app's own files, kept across redeploys. */
export function dataBindMount(port: number, release: number): ProjectFiles {
  return {
    '.gitignore': 'data/\n',
    'docker-compose.yml': file(`
      # Vaultwarden's and Uptime Kuma's documented setup: the app keeps its SQLite database and uploads in ./data,
      # which is in .gitignore, not in the repository.
      services:
        app:
          build: .
          ports:
            - "127.0.0.1:${port}:8080"
          environment:
            RELEASE: r${release}
          volumes:
            - ./data:/data
          stop_grace_period: 1s
    `),
    Dockerfile: file(`
      FROM ${BASE_IMAGE}
      COPY start /app/start
      COPY index.cgi /www/cgi-bin/index.cgi
      RUN chmod +x /app/start /www/cgi-bin/index.cgi
      CMD ["/app/start"]
    `),
    start: file(`
      #!/bin/sh
      echo "$RELEASE started" >> /data/releases.log
      exec httpd -f -p 8080 -h /www
    `),
    'index.cgi': cgi('cat /data/releases.log'),
  };
}

export const NGINX_CONF = file(`
  worker_processes 1;
  events { worker_connections 256; }
  http {
    server {
      listen 8080;
      server_name members.example.org;
      location / { proxy_pass http://app:3000; }
    }
  }
`);

/** A configuration file of the repository mounted read-only into the container. */
export function configFileMount(port: number): ProjectFiles {
  return {
    'docker-compose.yml': file(`
      # nginx with its configuration from the repository, as the official image documents it
      # (./nginx.conf:/etc/nginx/nginx.conf:ro); busybox httpd stands in for nginx and shows the file it was given.
      services:
        proxy:
          build: ./proxy
          ports:
            - "127.0.0.1:${port}:8080"
          volumes:
            - ./nginx.conf:/etc/nginx/nginx.conf:ro
          stop_grace_period: 1s
    `),
    'nginx.conf': NGINX_CONF,
    ...cgiImage(
      'proxy',
      `
      cat /etc/nginx/nginx.conf
      if (echo '# changed' >> /etc/nginx/nginx.conf) 2>/dev/null; then echo 'config: writable'; else echo 'config: read-only'; fi
    `,
    ),
  };
}

/** The base image used as it is, serving a directory of the repository. */
export function staticSite(port: number, page: string): ProjectFiles {
  return {
    'docker-compose.yml': file(`
      # A static site on nginx:alpine with the site mounted from the repository (./html, read-only); busybox httpd
      # stands in for nginx, the image used as it is, nothing built.
      services:
        web:
          image: ${BASE_IMAGE}
          command: ["httpd", "-f", "-p", "8080", "-h", "/usr/share/nginx/html"]
          ports:
            - "127.0.0.1:${port}:8080"
          volumes:
            - ./html:/usr/share/nginx/html:ro
          stop_grace_period: 1s
    `),
    'html/index.html': page,
  };
}

/** Interpolation from `.env` (a default for what it leaves out) and the app's settings from an `env_file`. */
export function dotenvAndEnvFile(port: number): ProjectFiles {
  return {
    '.env': file(`
      WEB_PORT=${port}
      APP_ENV=production
    `),
    'docker-compose.yml': file(`
      # A twelve-factor app configured the way compose's documentation shows: variables from .env, defaults for
      # those it leaves out, and the app's own settings in an env_file of the repository.
      services:
        web:
          build: ./web
          ports:
            - "127.0.0.1:\${WEB_PORT}:8080"
          env_file:
            - ./config/app.env
          environment:
            APP_ENV: \${APP_ENV}
            GREETING: \${GREETING:-hello}
            WORKERS: \${WORKERS:-2}
          stop_grace_period: 1s
    `),
    'config/app.env': file(`
      MAIL_FROM=noreply@example.org
      SESSION_TTL=3600
    `),
    ...cgiImage('web', `env | grep -E '^(APP_ENV|GREETING|WORKERS|MAIL_FROM|SESSION_TTL)=' | sort`),
  };
}

/** Two services that extend one defined in another file of the repository. */
export function extendsFromFile(port: number): ProjectFiles {
  return {
    'common-services.yml': file(`
      # What every service of the stack shares, defined once.
      services:
        app-base:
          build: ./app
          environment:
            LOG_LEVEL: info
            SERVICE_ROLE: unset
          stop_grace_period: 1s
    `),
    'docker-compose.yml': file(`
      # compose's documented "extends" pattern: common-services.yml defines the app, each role extends it.
      services:
        web:
          extends:
            file: ./common-services.yml
            service: app-base
          environment:
            SERVICE_ROLE: web
          ports:
            - "127.0.0.1:${port}:8080"
        api:
          extends:
            file: ./common-services.yml
            service: app-base
          environment:
            SERVICE_ROLE: api
    `),
    ...cgiImage(
      'app',
      `
      echo "role=$SERVICE_ROLE log_level=$LOG_LEVEL"
      if [ "$SERVICE_ROLE" = web ]; then echo "api says: $(wget -qO- http://api:8080/)"; fi
    `,
    ),
  };
}

export const SHOP_LABEL = { key: 'org.example.stack', value: 'shop' };

/** Defaults written once with YAML anchors and merge keys: restart policy, logging, labels, environment. */
export function anchorsAndMergeKeys(port: number): ProjectFiles {
  return {
    'docker-compose.yml': file(`
      # Defaults shared through x- anchors and merge keys, as the large self-hosting files (Sentry's, Immich's)
      # share logging and restart settings between their services.
      x-logging: &default-logging
        driver: json-file
        options:
          max-size: 1m
          max-file: "3"

      x-app: &app
        build: ./app
        restart: unless-stopped
        stop_grace_period: 1s
        logging: *default-logging
        labels:
          ${SHOP_LABEL.key}: ${SHOP_LABEL.value}
        environment: &app-env
          TZ: Europe/Helsinki
          SHOP_CURRENCY: EUR

      services:
        storefront:
          <<: *app
          ports:
            - "127.0.0.1:${port}:8080"
          environment:
            <<: *app-env
            ROLE: storefront
        checkout:
          <<: *app
          environment:
            <<: *app-env
            ROLE: checkout
    `),
    ...cgiImage(
      'app',
      `
      echo "$ROLE: TZ=$TZ currency=$SHOP_CURRENCY"
      if [ "$ROLE" = storefront ]; then wget -qO- http://checkout:8080/; fi
    `,
    ),
  };
}

/** Limits both ways compose writes them, ulimits, and a service that sets none. */
export function resourceLimits(port: number): ProjectFiles {
  return {
    'docker-compose.yml': file(`
      # Limits as production compose files write them: deploy.resources (the Compose Specification's way) on the
      # web, with pids_limit beside it (docker-compose 1.29 knows no limits.pids), the older mem_limit/cpus on the
      # worker, nothing on the log-shipping sidecar.
      services:
        web:
          build: ./web
          ports:
            - "127.0.0.1:${port}:8080"
          deploy:
            resources:
              limits:
                memory: 128m
                cpus: "0.5"
              reservations:
                memory: 32m
          pids_limit: 256
          ulimits:
            nofile:
              soft: 4096
              hard: 8192
            nproc: 512
          stop_grace_period: 1s
        worker:
          build: ./web
          mem_limit: 96m
          cpus: 0.25
          pids_limit: 128
          stop_grace_period: 1s
        sidecar:
          image: ${BASE_IMAGE}
          command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    `),
    // cgroup v2 files first, then v1's: the page says what the kernel enforces whichever the host runs.
    ...cgiImage(
      'web',
      `
      cg() { cat "/sys/fs/cgroup/$1" 2>/dev/null || cat "/sys/fs/cgroup/$2"; }
      echo "memory: $(cg memory.max memory/memory.limit_in_bytes)"
      echo "cpu quota: $(cg cpu.max cpu/cpu.cfs_quota_us)"
      echo "pids: $(cg pids.max pids/pids.max)"
      echo "open files: $(ulimit -n)"
      echo "processes: $(ulimit -u)"
    `,
    ),
  };
}

/** CAP_NET_BIND_SERVICE alone, as /proc/self/status shows it (bit 10). */
export const NET_BIND_SERVICE_ONLY = '0000000000000400';

/** Read-only root with tmpfs, capabilities dropped, no new privileges, an init, a restart policy. */
export function hardened(port: number): ProjectFiles {
  return {
    'docker-compose.yml': file(`
      # A web server hardened as OWASP's Docker cheat sheet advises: read-only root file system with tmpfs for what
      # must be written, every capability dropped but binding port 80, no privilege escalation, an init as PID 1
      # to reap the CGI processes, and restarted unless an admin stopped it.
      services:
        web:
          build: ./web
          ports:
            - "127.0.0.1:${port}:80"
          read_only: true
          tmpfs:
            - /tmp
            - /var/cache/app:size=4m
          cap_drop: [ALL]
          cap_add: [NET_BIND_SERVICE]
          security_opt:
            - no-new-privileges:true
          init: true
          restart: unless-stopped
          stop_grace_period: 1s
    `),
    ...cgiImage(
      'web',
      `
      if touch /written 2>/dev/null; then echo 'root: writable'; else echo 'root: read-only'; fi
      if echo ok > /tmp/written && echo ok > /var/cache/app/written; then echo 'tmpfs: writable'; fi
      grep -E '^(CapEff|NoNewPrivs):' /proc/self/status
      echo "pid 1: $(tr '\\0' ' ' </proc/1/cmdline)"
    `,
      80,
    ),
  };
}

/** How many networks the container is on: its IPv4 interfaces but loopback. */
const INTERFACES = "ip -o -4 addr show | grep -vc ': lo '";

/** A public and an internal network, the api reachable only from the proxy, by name, on an exposed port. */
export function internalNetwork(port: number): ProjectFiles {
  return {
    'docker-compose.yml': file(`
      # awesome-compose's nginx-flask-mysql split: only the proxy is on the public side; the api sits on an
      # internal network with no way out, reachable from the proxy by its name on the port it exposes.
      services:
        proxy:
          build: ./proxy
          ports:
            - "127.0.0.1:${port}:8080"
          networks: [frontend, backend]
          depends_on: [api]
          stop_grace_period: 1s
        api:
          build: ./api
          expose:
            - "8081"
          networks: [backend]
          stop_grace_period: 1s
      networks:
        frontend: {}
        backend:
          internal: true
    `),
    ...cgiImage(
      'proxy',
      `
      echo "proxy networks: $(${INTERFACES})"
      echo "api says: $(wget -qO- http://api:8081/)"
    `,
    ),
    ...cgiImage('api', `echo "api networks: $(${INTERFACES})"`, 8081),
  };
}

export const APP_VERSION = '1.4.2';

/** A multi-stage Dockerfile built to a target that is not its last stage, with build args. */
export function multiStageBuild(port: number): ProjectFiles {
  return {
    'docker-compose.yml': file(`
      # A Node or Go app's multi-stage build: the compose file picks the production stage and passes the version
      # as a build arg (the last stage, development, is what a build without target would give).
      services:
        web:
          build:
            context: .
            dockerfile: Dockerfile
            target: production
            args:
              APP_VERSION: "${APP_VERSION}"
              BUILD_CHANNEL: stable
          ports:
            - "127.0.0.1:${port}:8080"
          stop_grace_period: 1s
    `),
    Dockerfile: file(`
      FROM ${BASE_IMAGE} AS build
      ARG APP_VERSION=0.0.0
      ARG BUILD_CHANNEL=nightly
      COPY src/ /src/
      RUN mkdir /out && sed "s/@VERSION@/$APP_VERSION/; s/@CHANNEL@/$BUILD_CHANNEL/" /src/index.html.in > /out/index.html

      FROM ${BASE_IMAGE} AS production
      COPY --from=build /out/ /www/
      CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]

      FROM production AS development
      RUN echo 'development build' > /www/index.html
    `),
    'src/index.html.in': 'release @VERSION@ (@CHANNEL@)\n',
  };
}

export const MONOREPO_PAGE = 'the members site, built from the repository root\n';

/** A monorepo whose compose file and `.env` live in deploy/, building from the repository's root. */
export function composeInSubdirectory(port: number): ProjectFiles {
  return {
    'deploy/.env': `WEB_PORT=${port}\n`,
    'deploy/compose.yml': file(`
      # A monorepo that keeps its deployment in deploy/: the image is built from the repository's root with a
      # Dockerfile of deploy/, the port comes from deploy/.env beside this file.
      services:
        web:
          build:
            context: ..
            dockerfile: deploy/web.Dockerfile
          ports:
            - "127.0.0.1:\${WEB_PORT}:8080"
          stop_grace_period: 1s
    `),
    'deploy/web.Dockerfile': file(`
      FROM ${BASE_IMAGE}
      COPY site/ /www/
      CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
    `),
    'site/index.html': MONOREPO_PAGE,
  };
}

/** Services without published ports run twice: one with deploy.replicas, one with scale. */
export function replicas(port: number): ProjectFiles {
  return {
    'docker-compose.yml': file(`
      # Queue consumers scaled out, as a Celery or Sidekiq deployment runs them: two workers (deploy.replicas) and
      # two mailers (scale), neither publishing a port; each replica registers in a shared volume the web lists.
      services:
        web:
          build: ./web
          ports:
            - "127.0.0.1:${port}:8080"
          volumes:
            - shared:/shared:ro
          stop_grace_period: 1s
        worker:
          build: ./consumer
          environment:
            ROLE: worker
          volumes:
            - shared:/shared
          deploy:
            replicas: 2
          stop_grace_period: 1s
        mailer:
          build: ./consumer
          environment:
            ROLE: mailer
          volumes:
            - shared:/shared
          scale: 2
          stop_grace_period: 1s
      volumes:
        shared:
    `),
    ...cgiImage(
      'web',
      `
      for role in worker mailer; do echo "$role replicas: $(ls "/shared/$role" | wc -l)"; done
    `,
    ),
    'consumer/Dockerfile': file(`
      FROM ${BASE_IMAGE}
      COPY consume /usr/local/bin/consume
      RUN chmod +x /usr/local/bin/consume
      CMD ["/usr/local/bin/consume"]
    `),
    'consumer/consume': file(`
      #!/bin/sh
      mkdir -p "/shared/$ROLE"
      hostname > "/shared/$ROLE/$(hostname)"
      trap 'rm -f "/shared/$ROLE/$(hostname)"; exit 0' TERM
      while :; do sleep 1; done
    `),
  };
}

export const SETTINGS_INI = '[app]\nname = members\n';

/** Ports and volumes in compose's long syntax: a named volume, two bind mounts, a tmpfs. */
export function longSyntax(port: number): ProjectFiles {
  return {
    'docker-compose.yml': file(`
      # Ports and mounts written out in the long syntax, as compose's reference and Nextcloud's examples write
      # them: uploads in a named volume, settings from the repository, state in ./state (not in the repository),
      # a cache in memory.
      services:
        app:
          build: ./app
          ports:
            - target: 8080
              published: ${port}
              protocol: tcp
              mode: host
          volumes:
            - type: volume
              source: uploads
              target: /var/lib/app/uploads
            - type: bind
              source: ./config
              target: /etc/app
              read_only: true
            - type: bind
              source: ./state
              target: /var/lib/app/state
            - type: tmpfs
              target: /var/cache/app
              tmpfs:
                size: 1048576
          stop_grace_period: 1s
      volumes:
        uploads:
    `),
    'config/settings.ini': SETTINGS_INI,
    ...cgiImage(
      'app',
      `
      cat /etc/app/settings.ini
      for dir in /var/lib/app/uploads /var/lib/app/state /var/cache/app /etc/app; do
        if (echo ok > "$dir/probe") 2>/dev/null; then echo "$dir: writable"; else echo "$dir: read-only"; fi
      done
      echo "cache on: $(grep ' /var/cache/app ' /proc/mounts | cut -d' ' -f3)"
    `,
    ),
  };
}
