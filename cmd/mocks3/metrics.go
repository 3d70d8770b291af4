package main

import (
	"net"
	"net/http"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/s3api"
)

func listen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }

// metrics are the binary's Prometheus metrics: S3 requests by operation and
// status, their latency and bytes, fault triggers, and per-service HTTP
// metrics in stack mode.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	bytesIn  *prometheus.CounterVec
	bytesOut *prometheus.CounterVec

	svcRequests *prometheus.CounterVec
	svcLatency  *prometheus.HistogramVec

	mu     sync.Mutex // guards engine
	engine *mocks3.Faults
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mocks3_requests_total",
			Help: "S3 requests by operation and status (0: connection dropped)."}, []string{"operation", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "mocks3_request_duration_seconds",
			Help: "S3 request latency by operation.", Buckets: prometheus.ExponentialBuckets(0.0005, 4, 9)}, []string{"operation"}),
		bytesIn: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mocks3_request_bytes_total",
			Help: "S3 request body bytes by operation."}, []string{"operation"}),
		bytesOut: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mocks3_response_bytes_total",
			Help: "S3 response body bytes by operation."}, []string{"operation"}),
		svcRequests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mocks3_service_requests_total",
			Help: "Requests to stack-mode role services by service, method and status."}, []string{"service", "method", "code"}),
		svcLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "mocks3_service_request_duration_seconds",
			Help: "Latency of stack-mode role services.", Buckets: prometheus.ExponentialBuckets(0.0001, 4, 9)}, []string{"service"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.bytesIn, m.bytesOut, m.svcRequests, m.svcLatency,
		collectors.NewGoCollector(), faultCollector{m})
	return m
}

// observe counts one finished S3 request.
func (m *metrics) observe(r s3api.Record) {
	op := string(r.Operation)
	m.requests.WithLabelValues(op, strconv.Itoa(r.Status)).Inc()
	m.latency.WithLabelValues(op).Observe(r.Duration.Seconds())
	m.bytesIn.WithLabelValues(op).Add(float64(r.BytesIn))
	m.bytesOut.WithLabelValues(op).Add(float64(r.BytesOut))
}

// watch makes the fault engine's trigger counts part of the metrics.
func (m *metrics) watch(e *mocks3.Faults) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.engine = e
}

var faultTriggers = prometheus.NewDesc("mocks3_fault_triggers_total",
	"Fault rule triggers by rule.", []string{"rule", "name"}, nil)

// faultCollector reads trigger counts from the engine at scrape time.
type faultCollector struct{ m *metrics }

func (c faultCollector) Describe(ch chan<- *prometheus.Desc) { ch <- faultTriggers }
func (c faultCollector) Collect(ch chan<- prometheus.Metric) { c.m.collectFaults(ch) }

func (m *metrics) collectFaults(ch chan<- prometheus.Metric) {
	m.mu.Lock()
	e := m.engine
	m.mu.Unlock()
	if e == nil {
		return
	}
	for _, info := range e.Rules() {
		ch <- prometheus.MustNewConstMetric(faultTriggers, prometheus.CounterValue, float64(info.Triggers), info.ID, info.Rule.Name)
	}
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// wrapService instruments a role service and serves /metrics beside it.
func (m *metrics) wrapService(service string, h http.Handler) http.Handler {
	labels := prometheus.Labels{"service": service}
	counted := promhttp.InstrumentHandlerCounter(m.svcRequests.MustCurryWith(labels),
		promhttp.InstrumentHandlerDuration(m.svcLatency.MustCurryWith(labels), h))
	mux := http.NewServeMux()
	mux.Handle("/metrics", m.handler())
	mux.Handle("/", counted)
	return mux
}
