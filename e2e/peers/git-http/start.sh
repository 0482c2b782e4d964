#!/usr/bin/env bash
# A git smart-HTTP server for e2e: nginx (nginx-light) in front of git-http-backend through fcgiwrap, with HTTP
# Basic auth, bound to 127.0.0.1. Everything (config, pid files, logs, sockets, repositories) lives under DIR.
# Usage: start.sh DIR PORT USER PASSWORD [EXTRA]  -> DIR/repos/demo.git (bare, branch main, one commit, push allowed)
# EXTRA: a file of nginx directives included in the server block before `location /` (e.g. a GitLab-style API).
# Stop with stop.sh DIR. DIR and its parents must be traversable by nginx workers (nobody when started as root).
set -euo pipefail
dir=$1 port=$2 user=$3 password=$4 extra=${5:-}
mkdir -p "$dir/repos" "$dir/tmp" "$dir/logs"
dir=$(cd "$dir" && pwd)
chmod a+rx "$dir"
htpasswd -bc "$dir/htpasswd" "$user" "$password" 2>/dev/null

if [ ! -d "$dir/repos/demo.git" ]; then
  git init -q --bare -b main "$dir/repos/demo.git"
  git -C "$dir/repos/demo.git" config http.receivepack true
  seed=$(mktemp -d)
  git -C "$seed" init -q -b main
  echo "hello from demo" > "$seed/README"
  git -C "$seed" add README
  git -C "$seed" -c user.name=seed -c user.email=seed@example.invalid commit -q -m "first commit"
  git -C "$seed" push -q "$dir/repos/demo.git" main
  rm -rf "$seed"
fi

cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 128; }
http {
  access_log $dir/logs/access.log;
  client_body_temp_path $dir/tmp/body;
  fastcgi_temp_path $dir/tmp/fastcgi;
  proxy_temp_path $dir/tmp/proxy;
  scgi_temp_path $dir/tmp/scgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  server {
    listen 127.0.0.1:$port;
    client_max_body_size 0;
$( [ -n "$extra" ] && echo "    include $(cd "$(dirname "$extra")" && pwd)/$(basename "$extra");" )
    location / {
      auth_basic "git";
      auth_basic_user_file $dir/htpasswd;
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT $dir/repos;
      fastcgi_param GIT_HTTP_EXPORT_ALL "";
      fastcgi_param PATH_INFO \$uri;
      fastcgi_param REMOTE_USER \$remote_user;
      fastcgi_pass unix:$dir/fcgiwrap.sock;
    }
  }
}
CONF

rm -f "$dir/fcgiwrap.sock"
# The socket must be writable by nginx workers (they run as nobody when nginx starts as root): umask 0.
(umask 0; exec fcgiwrap -c 2 -s "unix:$dir/fcgiwrap.sock" </dev/null >"$dir/logs/fcgiwrap.log" 2>&1) &
echo $! > "$dir/fcgiwrap.pid"
for _ in $(seq 100); do [ -S "$dir/fcgiwrap.sock" ] && break; sleep 0.02; done
nginx -e "$dir/logs/error.log" -p "$dir" -c "$dir/nginx.conf"
for _ in $(seq 100); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/demo.git/info/refs?service=git-upload-pack" || true)
  [ "$code" = 401 ] && exit 0
  sleep 0.02
done
echo "git-http: nginx did not answer on 127.0.0.1:$port" >&2
exit 1
