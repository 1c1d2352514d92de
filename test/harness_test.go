// Package test holds okuri's end-to-end tests: the real binary, real SMTP
// clients (go-smtp and swaks), a real upstream sink, real sockets.
package test

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/okuri/okuri/certs"
	"github.com/okuri/okuri/internal/smtpsink"
)

var okuriBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "okuri-e2e-")
	if err != nil {
		panic(err)
	}
	okuriBin = filepath.Join(dir, "okuri")
	build := exec.Command("go", "build", "-o", okuriBin, "../cmd/okuri")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building okuri failed:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// syncBuffer collects a process's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is one test's okuri: a config, a users file, an upstream sink.
type env struct {
	t       *testing.T
	dir     string
	Sink    *smtpsink.Sink
	sinkTLS *tls.Config
	CAFile  string // trusted root for the sink's certificate
	cfgPath string
	Cfg     cfgVars
}

// cfgVars fill configTemplate; zero values give the defaults below.
type cfgVars struct {
	DataDir, Upstream, CAFile, UsersFile string
	Listen, ListenTLS                    string
	AllowPlaintextLoopback               bool
	ShutdownGrace                        string // default 10s
	Extra                                string // appended under smtp: (indented 2)
	Limits                               string // lines under smtp.limits (indented 4)
	Tail                                 string // top-level YAML appended at the end
	Instance                             string // default e2e
	RelayTimeout                         string // relay.timeout, default 5s
	RelayExtra                           string // further lines under relay: (indented 2)
	Queue                                string // lines under queue: (indented 2), replacing the defaults below
	Directory                            string // further lines under directory: (indented 2)
}

const configTemplate = `instance: {{or .Instance "e2e"}}
data_dir: {{.DataDir}}
log:
  format: json
  level: debug
smtp:
  listen: {{.Listen}}
{{- if .ListenTLS}}
  listen_tls: {{.ListenTLS}}
{{- end}}
  hostname: okuri.e2e.test
  auth:
    allow_plaintext_loopback: {{.AllowPlaintextLoopback}}
    max_failures: 3
    failure_window: 1m
  limits:
    shutdown_grace: {{or .ShutdownGrace "10s"}}
{{.Limits}}
{{.Extra}}
relay:
  upstream: {{.Upstream}}
  ca_file: {{.CAFile}}
  timeout: {{or .RelayTimeout "5s"}}
{{.RelayExtra}}directory:
  users_file: {{.UsersFile}}
{{.Directory}}
metrics:
  listen: 127.0.0.1:0
queue:
{{- if .Queue}}
{{.Queue}}
{{- else}}
  backoff_base: 500ms
  backoff_max: 1s
  lease: 30s
{{- end}}
{{.Tail}}`

var tmpl = template.Must(template.New("cfg").Parse(configTemplate))

// newEnv starts an upstream sink with STARTTLS and prepares a config with
// user alice@agency.test (alias sales@agency.test, password alicePass-123).
func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	certPEM, keyPEM, err := certs.SelfSigned([]string{"127.0.0.1"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(dir, "sink-ca.pem")
	os.WriteFile(caFile, certPEM, 0o600)
	srvTLS, err := tlsServerConfig(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	sink := smtpsink.Start(t, smtpsink.Options{TLS: srvTLS})
	e := &env{t: t, dir: dir, Sink: sink, sinkTLS: srvTLS, CAFile: caFile}
	e.Cfg = cfgVars{
		DataDir: filepath.Join(dir, "data"), Upstream: "smtp://" + sink.Addr, CAFile: caFile,
		UsersFile: filepath.Join(dir, "users.yaml"), Listen: "127.0.0.1:0", AllowPlaintextLoopback: true,
	}
	e.addUser("alice@agency.test", "alicePass-123", "-alias", "sales@agency.test")
	return e
}

// restartSinkAt starts a new sink on addr (the old one's port), as an
// upstream coming back after an outage.
func (e *env) restartSinkAt(addr string) *smtpsink.Sink {
	e.t.Helper()
	var err error
	for range 50 { // the old listener's port may take a moment to free
		var s *smtpsink.Sink
		s, err = startSinkAt(e.t, e.sinkTLS, addr)
		if err == nil {
			e.Sink = s
			return s
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.t.Fatalf("restart sink at %s: %v", addr, err)
	return nil
}

func startSinkAt(t *testing.T, tc *tls.Config, addr string) (s *smtpsink.Sink, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	ln.Close()
	return smtpsink.Start(t, smtpsink.Options{TLS: tc, Addr: addr}), nil
}

func (e *env) addUser(addr, pw string, extra ...string) {
	e.t.Helper()
	e.writeConfig()
	args := append([]string{"user", "add", "-config", e.cfgPath}, extra...)
	args = append(args, addr)
	out, err := runOkuri(strings.NewReader(pw+"\n"), args...)
	if err != nil {
		e.t.Fatalf("user add: %v\n%s", err, out)
	}
}

func (e *env) writeConfig() {
	e.t.Helper()
	var b bytes.Buffer
	if err := tmpl.Execute(&b, e.Cfg); err != nil {
		e.t.Fatal(err)
	}
	e.cfgPath = filepath.Join(e.dir, "okuri.yaml")
	if err := os.WriteFile(e.cfgPath, b.Bytes(), 0o600); err != nil {
		e.t.Fatal(err)
	}
}

func runOkuri(stdin *strings.Reader, args ...string) (string, error) {
	cmd := exec.Command(okuriBin, args...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// proc is a running okuri.
type proc struct {
	t       *testing.T
	cmd     *exec.Cmd
	logs    *syncBuffer
	SMTP    string // submission address
	SMTPS   string // implicit TLS address, if configured
	Metrics string
	done    chan struct{}
	exitErr error
	cfgPath string
}

var listenRe = regexp.MustCompile(`"msg":"(smtp|admin) listening","addr":"([^"]+)"(?:,"implicit_tls":(true|false))?`)

// start runs okuri on the env's config and waits until it serves.
func (e *env) start() *proc {
	e.t.Helper()
	e.writeConfig()
	p := &proc{t: e.t, logs: &syncBuffer{}, done: make(chan struct{}), cfgPath: e.cfgPath}
	p.cmd = exec.Command(okuriBin, "run", "-config", e.cfgPath)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	go func() { p.exitErr = p.cmd.Wait(); close(p.done) }()
	e.t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
		if e.t.Failed() {
			e.t.Logf("okuri log:\n%s", p.logs.String())
		}
	})
	// Waits for the start line, not a fixed time: generous, because a
	// loaded machine (make test) starts okuri slowly (issue 12 item 16).
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		logs := p.logs.String()
		if strings.Contains(logs, `"msg":"okuri started"`) {
			for _, m := range listenRe.FindAllStringSubmatch(logs, -1) {
				switch {
				case m[1] == "admin":
					p.Metrics = m[2]
				case m[3] == "true":
					p.SMTPS = m[2]
				default:
					p.SMTP = m[2]
				}
			}
			return p
		}
		select {
		case <-p.done:
			e.t.Fatalf("okuri exited during start: %v\n%s", p.exitErr, logs)
		case <-time.After(20 * time.Millisecond):
		}
	}
	e.t.Fatalf("okuri did not start:\n%s", p.logs.String())
	return nil
}

func (p *proc) signal(sig syscall.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
}

// waitExit waits for the process to end and returns its error.
func (p *proc) waitExit(timeout time.Duration) error {
	p.t.Helper()
	select {
	case <-p.done:
		return p.exitErr
	case <-time.After(timeout):
		p.t.Fatalf("okuri still running after %v", timeout)
	}
	return nil
}

// waitLog waits until the log contains s.
func (p *proc) waitLog(s string, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if strings.Contains(p.logs.String(), s) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.t.Fatalf("log never contained %q:\n%s", s, p.logs.String())
}

// stripFirstReceived removes okuri's Received header (the first field,
// with its folded continuation lines).
func stripFirstReceived(t *testing.T, data []byte) []byte {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("Received: ")) {
		t.Fatalf("message does not start with Received:\n%.200q", data)
	}
	r := bufio.NewReader(bytes.NewReader(data))
	n := 0
	first := true
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			t.Fatal("unterminated header")
		}
		if !first && line[0] != ' ' && line[0] != '\t' {
			break
		}
		first = false
		n += len(line)
	}
	return data[n:]
}
