# shellcheck shell=bash disable=SC2153 # variables come from compare.sh
# bench/systems.sh — start functions for the systems bench/compare.sh
# measures; sourced by it, uses its variables (WORK, PIDS, ports, ...).
# Sets OKURI_PID and POSTFIX_CONF for compare.sh.

# start_okuri writes a throwaway config relaying to the sink and starts
# okuri on it. Loopback is a trusted network for example.com senders, so
# the plain "okuri" system sends without TLS or AUTH, like Postfix's
# mynetworks; "okuri-auth" logs in as $FROM over STARTTLS.
start_okuri() {
	need_free_port okuri "$OKURI_PORT"
	[[ -x $OKURI_BIN ]] || die "no okuri binary at $OKURI_BIN"
	local dir=$WORK/okuri
	mkdir -p "$dir/data"
	echo "users: []" >"$dir/users.yaml"
	cat >"$dir/okuri.yaml" <<-EOF
		# Throwaway okuri config written by bench/compare.sh.
		instance: okuri-bench
		data_dir: $dir/data
		log:
		  format: text
		  level: info
		smtp:
		  listen: 127.0.0.1:$OKURI_PORT
		  hostname: okuri-bench.localhost
		  auth:
		    allow_plaintext_loopback: true
		  trusted_networks:
		    - cidr: 127.0.0.0/8
		      sender_domains: [example.com]
		relay:
		  upstream: smtp://127.0.0.1:$SINK_PORT
		  starttls: opportunistic
		domains:
		  internal: [example.com]
		directory:
		  users_file: $dir/users.yaml
		metrics:
		  listen: ""
	EOF
	if [[ -n ${BENCH_OKURI_YAML:-} ]]; then
		# More top-level sections (a policy, a quarantine backend), e.g. to
		# measure the hold path; appended verbatim.
		cat "$BENCH_OKURI_YAML" >>"$dir/okuri.yaml"
	fi
	if has_system okuri-auth; then
		printf '%s\n%s\n' "$PASSWORD" "$PASSWORD" |
			"$OKURI_BIN" user add -config "$dir/okuri.yaml" "$FROM" >/dev/null ||
			die "okuri user add failed"
	fi
	"$OKURI_BIN" run -config "$dir/okuri.yaml" 2>"$dir/okuri.log" &
	# shellcheck disable=SC2034 # used by compare.sh
	OKURI_PID=$!
	PIDS+=($!)
	wait_port okuri "$OKURI_PORT" $! "$dir/okuri.log"
}

# start_postfix installs Postfix when absent and starts a throwaway
# instance: config dir and queue under $WORK/postfix, SMTP on
# 127.0.0.1:$POSTFIX_PORT, relayhost the sink, mynetworks 127.0.0.0/8, no
# local delivery. Everything else is Postfix's default, except chroot (off,
# so no files need copying into the queue dir) and logging to a file.
start_postfix() {
	need_free_port postfix "$POSTFIX_PORT"
	[[ $(id -u) == 0 ]] || die "Postfix needs root (it drops to the postfix user itself)"
	if [[ ! -x /usr/sbin/postfix ]]; then
		log "installing postfix (apt-get)"
		# "No configuration": the package must not start a system-wide
		# Postfix on port 25.
		echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >"$WORK/apt.log" 2>&1 ||
			die "apt-get install postfix failed; see $WORK/apt.log"
	fi
	local dir=$WORK/postfix
	mkdir -p "$dir/conf" "$dir/queue" "$dir/data"
	# mktemp made $WORK private; the postfix user must reach its dirs.
	chmod 755 "$WORK" "$dir"
	chown postfix "$dir/data"
	cat >"$dir/conf/main.cf" <<-EOF
		# Throwaway Postfix config written by bench/compare.sh.
		compatibility_level = 3.6
		queue_directory = $dir/queue
		data_directory = $dir/data
		myhostname = postfix-bench.localdomain
		mydestination =
		local_recipient_maps =
		local_transport = error:local delivery is disabled
		alias_maps =
		alias_database =
		relay_domains =
		relayhost = [127.0.0.1]:$SINK_PORT
		mynetworks = 127.0.0.0/8
		inet_interfaces = 127.0.0.1
		inet_protocols = ipv4
		smtpd_relay_restrictions = permit_mynetworks, reject
		smtp_tls_security_level = none
		smtpd_tls_security_level = none
		maillog_file = $dir/maillog
		maillog_file_prefixes = $dir
		biff = no
	EOF
	# Debian's master.cf with chroot off, smtpd on the loopback port only,
	# and without the pipe transports.
	cat >"$dir/conf/master.cf" <<-EOF
		127.0.0.1:$POSTFIX_PORT inet n - n - - smtpd
		pickup     unix  n - n 60    1 pickup
		cleanup    unix  n - n -     0 cleanup
		qmgr       unix  n - n 300   1 qmgr
		tlsmgr     unix  - - n 1000? 1 tlsmgr
		rewrite    unix  - - n -     - trivial-rewrite
		bounce     unix  - - n -     0 bounce
		defer      unix  - - n -     0 bounce
		trace      unix  - - n -     0 bounce
		verify     unix  - - n -     1 verify
		flush      unix  n - n 1000? 0 flush
		proxymap   unix  - - n -     - proxymap
		proxywrite unix  - - n -     1 proxymap
		smtp       unix  - - n -     - smtp
		relay      unix  - - n -     - smtp
		showq      unix  n - n -     - showq
		error      unix  - - n -     - error
		retry      unix  - - n -     - error
		discard    unix  - - n -     - discard
		anvil      unix  - - n -     1 anvil
		scache     unix  - - n -     1 scache
		postlog    unix-dgram n - n - 1 postlogd
	EOF
	POSTFIX_CONF=$dir/conf
	# Postfix reports start-up errors only to syslog or a terminal; on
	# failure run "postfix check" under script(1) to show them.
	if ! /usr/sbin/postfix -c "$POSTFIX_CONF" start >/dev/null 2>&1; then
		script -qc "/usr/sbin/postfix -c $POSTFIX_CONF start" /dev/null >&2 || true
		die "postfix start failed"
	fi
	wait_port postfix "$POSTFIX_PORT" "" "$dir/maillog"
}
