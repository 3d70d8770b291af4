// Command mocks3 serves the mocks3 S3-compatible API for clients that are not
// Go tests, such as the aws CLI, boto3, rclone, s3cmd or curl.
//
// Usage:
//
//	mocks3 [serve] [-addr 127.0.0.1:8080] [-dir DIR] [-bucket a,b] [-region us-east-1]
//	       [-faults FILE] [-nodes N] [-third-party URL] [-config FILE]
//	       [-admin-token TOKEN] [-domain NAME[,NAME]] [-max-conns N]
//	       [-auth [-user ACCESS_KEY:SECRET_KEY]... [-sigv2]]
//	       [-read-header-timeout D] [-idle-timeout D] [-body-timeout D] [-memory-limit SIZE]
//	       [-metadata-url U -storage-url U[,U] -queue-url U [-third-party-url U]]
//	mocks3 stack [the same flags] [-metadata-addr A] [-storage-addr A] [-queue-addr A]
//	       [-third-party-addr A] [-faults-addr A]
//	mocks3 service NAME -addr A [-dir DIR] [-third-party URL]
//
// serve (the default) runs everything in one process; with the -*-url
// flags it is only the S3 gateway, in front of role services started with
// "mocks3 service". stack runs the original MockS3 layout: the gateway on
// :8080 and the metadata, storage, queue, third-party and fault services on
// :8081 to :8085, each with /health and /metrics. service runs one role
// (metadata, storage, queue or third-party) alone.
//
// With no -dir everything is kept in memory, about one byte of RAM per
// stored byte: -memory-limit (default half the machine's memory) caps the
// object bytes, and writes beyond it are refused with 507
// XMinioStorageFull rather than running the machine out of memory. Each
// request is logged in one line; SIGINT or SIGTERM shuts down cleanly.
// Prometheus metrics are served at /_mocks3/metrics on the S3 port.
//
// -faults loads fault rules at start from a JSON file in the seed's rule
// format (one rule, an array of rules or {"rules": [...]}; see
// faults.ParseRules), or from the same structure in YAML when the name ends
// in .yaml or .yml. The fault REST API is served under /_mocks3/api/v1/
// (and at /api/v1/ on the fault service's port in stack mode).
//
// The admin API and the S3 API are unauthenticated by default: see
// "Exposure" in the README. -auth verifies AWS Signature Version 4 on S3
// requests against the -user keys (default test:test; the first owns the
// -bucket buckets, each owns the buckets it creates), -sigv2 also accepts
// Signature Version 2. -admin-token (or $MOCKS3_ADMIN_TOKEN) requires a bearer token on
// the admin API; requests for a host name other than localhost, an IP
// address or a -domain name are refused, against DNS rebinding.
//
// Connections are bounded as production S3 servers bound them: 20 s to send
// a request's headers, 30 s idle between requests, 20 s of silence within
// a request body (answered with 400 RequestTimeout, as S3 does), and at
// most half the process's open-file limit open at once, so that slow or
// abandoned clients cannot lock the others out.
//
// -config reads the same settings from a JSON file whose keys are the flag
// names ({"addr": ":8080", "nodes": 3, "faults": "rules.yaml"}); flags given
// on the command line win.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/cmdserver"
	"github.com/mocks3/mocks3/internal/serverext"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "mocks3:", err)
		os.Exit(2)
	}
}

// settings are what the flags (and -config) say.
type settings struct {
	addr, dir, buckets, region, faultsFile, thirdParty  string
	nodes                                               int
	metadataURL, storageURL, queueURL, thirdPartyURL    string
	metadataAddr, storageAddr, queueAddr, thirdPartyAdr string
	faultsAddr                                          string
	adminToken, domains                                 string
	readHeaderTimeout, idleTimeout, bodyTimeout         time.Duration
	maxConns                                            int
	memoryLimit                                         int64
	auth, sigV2                                         bool
	users                                               userFlag
	stack                                               bool // the stack mode: roles on their own ports
}

// run serves until ctx is done. ready, if set, gets the server's URL once it
// listens.
func run(ctx context.Context, args []string, logw io.Writer, ready func(url string)) error {
	mode := "serve"
	if len(args) > 0 && (args[0] == "serve" || args[0] == "stack" || args[0] == "service") {
		mode, args = args[0], args[1:]
	}
	logger := slog.New(slog.NewTextHandler(logw, nil))
	if mode == "service" {
		return runService(ctx, args, logw, logger, ready)
	}
	st, err := parseFlags(mode, args, logw)
	if err != nil {
		return err
	}
	metrics := newMetrics()
	opts, err := st.options(logger, metrics)
	if err != nil {
		return err
	}
	srv, err := mocks3.NewServer(opts...)
	if err != nil {
		return err
	}
	metrics.watch(srv.Faults())
	if st.dir == "" {
		logger.Info("mocks3 listening", "mode", mode, "url", srv.URL, "region", st.region, "memory-limit", formatSize(st.memoryLimit))
	} else {
		logger.Info("mocks3 listening", "mode", mode, "url", srv.URL, "region", st.region, "dir", st.dir)
	}
	if st.stack {
		s := srv.Stack()
		logger.Info("mocks3 services", "metadata", s.Metadata, "storage", strings.Join(s.Storage, ","),
			"queue", s.Queue, "third-party", s.ThirdParty, "mock-error", s.Faults)
	}
	if ready != nil {
		ready(srv.URL)
	}
	<-ctx.Done()
	logger.Info("mocks3 shutting down")
	srv.Close()
	return nil
}

// defaultMemoryLimit is half the machine's memory, or 2 GiB when that is
// unknown: room for the test data of a large suite, and for the process
// and the machine besides.
func defaultMemoryLimit() int64 {
	if m := machineMemory(); m > 0 {
		return m / 2
	}
	return 2 << 30
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// applyConfig sets every flag the JSON file names, unless the command line
// set it already.
func applyConfig(fs *flag.FlagSet, name string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("-config: %w", err)
	}
	var values map[string]any
	if err := json.Unmarshal(data, &values); err != nil {
		return fmt.Errorf("-config %s: %w", name, err)
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for k, v := range values {
		f := fs.Lookup(k)
		if f == nil || k == "config" {
			return fmt.Errorf("-config %s: unknown setting %q", name, k)
		}
		if given[k] {
			continue
		}
		var s string
		switch v := v.(type) {
		case string:
			s = v
		case float64, bool:
			s = fmt.Sprint(v)
		case []any:
			var parts []string
			for _, e := range v {
				parts = append(parts, fmt.Sprint(e))
			}
			s = strings.Join(parts, ",")
		default:
			return fmt.Errorf("-config %s: %s: want a string, number or list", name, k)
		}
		if err := f.Value.Set(s); err != nil {
			return fmt.Errorf("-config %s: %s: %w", name, k, err)
		}
	}
	return nil
}

// runService runs one role as its own HTTP service.
func runService(ctx context.Context, args []string, logw io.Writer, logger *slog.Logger, ready func(string)) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return errors.New("service: name the role: metadata, storage, queue or third-party")
	}
	name := args[0]
	fs := flag.NewFlagSet("mocks3 service "+name, flag.ContinueOnError)
	fs.SetOutput(logw)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	dir := fs.String("dir", "", "directory to keep data in (default: memory)")
	origin := fs.String("third-party", "", "`URL` of the origin (third-party)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	metrics := newMetrics()
	h, closeRole, err := cmdserver.RoleService(name, *dir, *origin)
	if err != nil {
		return fmt.Errorf("service %s: %w", name, err)
	}
	defer closeRole()
	// No IdleTimeout: the gateway reuses its connections to a role service,
	// and a request it sends just as the service closes one would fail.
	srv := &http.Server{Addr: *addr, Handler: metrics.wrapService(name, h), ReadHeaderTimeout: 20 * time.Second}
	l, err := listen(*addr)
	if err != nil {
		return fmt.Errorf("service %s: %w", name, err)
	}
	url := "http://" + l.Addr().String()
	logger.Info("mocks3 service listening", "service", name, "url", url)
	if ready != nil {
		ready(url)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	<-ctx.Done()
	logger.Info("mocks3 service shutting down", "service", name)
	err = srv.Shutdown(context.WithoutCancel(ctx))
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// loadRules reads fault rules from a JSON file or, by its extension, a YAML
// one. YAML is converted to JSON first, so both go through one parser and
// give the same errors.
func loadRules(name string) ([]faults.Rule, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("-faults: %w", err)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		if data, err = yamlToJSON(data); err != nil {
			return nil, fmt.Errorf("-faults %s: %w", name, err)
		}
	}
	rules, err := faults.ParseRules(data)
	if err != nil {
		return nil, fmt.Errorf("-faults %s: %w", name, err)
	}
	return rules, nil
}

// yamlToJSON converts one YAML document to JSON.
func yamlToJSON(data []byte) ([]byte, error) {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	if v == nil {
		return nil, fmt.Errorf("no rules: the file is empty")
	}
	v, err := jsonValue(v, "")
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// jsonValue checks that a decoded YAML value has a JSON equivalent: maps
// keyed by strings, no NaN or infinities.
func jsonValue(v any, path string) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			var err error
			if v[k], err = jsonValue(e, joinPath(path, k)); err != nil {
				return nil, err
			}
		}
	case map[any]any:
		return nil, fmt.Errorf("%s: a mapping with a key that is not a string", orRoot(path))
	case []any:
		for i, e := range v {
			var err error
			if v[i], err = jsonValue(e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return nil, err
			}
		}
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: %v has no JSON equivalent", orRoot(path), v)
		}
	}
	return v, nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "document"
	}
	return path
}

// parseFlags reads the settings of a serve or stack run from args (and the
// -config file they name).
func parseFlags(mode string, args []string, logw io.Writer) (settings, error) {
	st := settings{stack: mode == "stack"}
	fs := flag.NewFlagSet("mocks3 "+mode, flag.ContinueOnError)
	fs.SetOutput(logw)
	fs.StringVar(&st.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&st.dir, "dir", "", "directory to keep data in (default: memory)")
	fs.StringVar(&st.buckets, "bucket", "", "comma-separated buckets to create at start")
	fs.StringVar(&st.region, "region", "us-east-1", "region to report")
	fs.StringVar(&st.faultsFile, "faults", "", "JSON or YAML (.yaml, .yml) `file` of fault rules to load at start")
	fs.IntVar(&st.nodes, "nodes", 1, "number of storage nodes")
	fs.StringVar(&st.thirdParty, "third-party", "", "`URL` of a third-party origin for objects missing locally")
	fs.StringVar(&st.metadataURL, "metadata-url", "", "URL of a metadata service to front (serve)")
	fs.StringVar(&st.storageURL, "storage-url", "", "comma-separated URLs of storage services to front (serve)")
	fs.StringVar(&st.queueURL, "queue-url", "", "URL of a queue service to front (serve)")
	fs.StringVar(&st.thirdPartyURL, "third-party-url", "", "URL of a third-party service to front (serve)")
	def := func(port string) string {
		if mode == "stack" {
			return "127.0.0.1:" + port
		}
		return ""
	}
	fs.StringVar(&st.metadataAddr, "metadata-addr", def("8081"), "metadata service address (stack)")
	fs.StringVar(&st.storageAddr, "storage-addr", def("8082"), "first storage node's address (stack)")
	fs.StringVar(&st.queueAddr, "queue-addr", def("8083"), "queue service address (stack)")
	fs.StringVar(&st.thirdPartyAdr, "third-party-addr", def("8084"), "third-party service address (stack)")
	fs.StringVar(&st.faultsAddr, "faults-addr", def("8085"), "fault API service address (stack)")
	fs.StringVar(&st.adminToken, "admin-token", "", "require this bearer `token` on the admin API (/_mocks3/, the fault service); default $MOCKS3_ADMIN_TOKEN")
	fs.StringVar(&st.domains, "domain", "", "comma-separated host `names` the server answers to besides IPs and localhost, "+
		"with bucket.<name> for virtual-hosted style")
	fs.DurationVar(&st.readHeaderTimeout, "read-header-timeout", 20*time.Second, "time a client has to send a request's headers (0: none)")
	fs.DurationVar(&st.idleTimeout, "idle-timeout", 30*time.Second, "time a kept-alive connection may wait for its next request (0: none)")
	fs.DurationVar(&st.bodyTimeout, "body-timeout", 20*time.Second, "time a request body may send nothing before 400 RequestTimeout (0: none)")
	fs.IntVar(&st.maxConns, "max-conns", 0, "most connections open at once; others wait (default: half the open-file limit)")
	st.memoryLimit = defaultMemoryLimit()
	fs.Var(sizeFlag{&st.memoryLimit}, "memory-limit", "most object bytes kept in memory, per storage node, such as 512MiB or 4GiB; "+
		"writes beyond get 507 XMinioStorageFull (0: none; default: half the machine's memory)")
	fs.BoolVar(&st.auth, "auth", false, "verify AWS Signature Version 4 on every S3 request, against the -user keys "+
		"(default: any request is served, signed or not)")
	fs.Var(&st.users, "user", "an identity as `ACCESS_KEY:SECRET_KEY`, repeatable; the first owns the -bucket buckets "+
		"(default with -auth: test:test)")
	fs.BoolVar(&st.sigV2, "sigv2", false, "with -auth, also accept AWS Signature Version 2 (s3cmd, older boto; aws s3 presign and boto3's presigned URLs by default)")
	config := fs.String("config", "", "JSON `file` of settings, keyed by flag name")
	if err := fs.Parse(args); err != nil {
		return st, err
	}
	if fs.NArg() > 0 {
		return st, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *config != "" {
		if err := applyConfig(fs, *config); err != nil {
			return st, err
		}
	}
	if st.adminToken == "" {
		st.adminToken = os.Getenv("MOCKS3_ADMIN_TOKEN") // kept out of ps listings
	}
	if st.maxConns == 0 {
		st.maxConns = openFileLimit() / 2
	}
	return st, nil

}

// options turns st into the server's options; the metrics observe it.
func (st *settings) options(logger *slog.Logger, m *metrics) ([]mocks3.Option, error) {
	opts := []mocks3.Option{cmdserver.Addr(st.addr), mocks3.WithRegion(st.region), mocks3.WithLogger(logger),
		cmdserver.Observer(m.observe), cmdserver.AdminHandler("metrics", m.handler()),
		cmdserver.ConnLimits(serverext.ConnLimits{ReadHeaderTimeout: st.readHeaderTimeout, IdleTimeout: st.idleTimeout,
			BodyTimeout: st.bodyTimeout, MaxConns: st.maxConns}),
		cmdserver.MemoryLimit(st.memoryLimit)}
	if st.dir != "" {
		opts = append(opts, mocks3.WithDir(st.dir))
	}
	if st.adminToken != "" {
		opts = append(opts, cmdserver.AdminToken(st.adminToken))
	}
	for _, d := range splitList(st.domains) {
		opts = append(opts, cmdserver.BaseDomain(d))
	}
	if st.nodes != 1 {
		opts = append(opts, mocks3.WithStorageNodes(st.nodes))
	}
	opts = append(opts, st.users.options()...)
	if st.auth {
		opts = append(opts, mocks3.WithAuth())
	}
	if st.sigV2 {
		opts = append(opts, mocks3.WithSignatureV2())
	}
	if st.thirdParty != "" {
		opts = append(opts, mocks3.WithThirdParty(mocks3.ThirdPartyURL(st.thirdParty)))
	}
	for _, b := range strings.Split(st.buckets, ",") {
		if b = strings.TrimSpace(b); b != "" {
			opts = append(opts, mocks3.WithBucket(b))
		}
	}
	if st.faultsFile != "" {
		rules, err := loadRules(st.faultsFile)
		if err != nil {
			return nil, err
		}
		opts = append(opts, mocks3.WithFaults(rules...))
		logger.Info("fault rules loaded", "file", st.faultsFile, "rules", len(rules))
	}
	switch {
	case st.stack:
		opts = append(opts, cmdserver.StackAddrs(st.metadataAddr, st.storageAddr, st.queueAddr, st.thirdPartyAdr, st.faultsAddr),
			cmdserver.ServiceWrapper(m.wrapService))
	case st.metadataURL != "" || st.storageURL != "" || st.queueURL != "":
		opts = append(opts, cmdserver.StackEndpoints(serverext.StackEndpoints{Metadata: st.metadataURL,
			Storage: splitList(st.storageURL), Queue: st.queueURL, ThirdParty: st.thirdPartyURL}))
	}
	return opts, nil
}
