package dev.pipeline.local.elb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.clock.LocalClock;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.ControlApi;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.LoopbackHttpServer;
import dev.pipeline.local.gateway.MotoForwarder;
import dev.pipeline.local.gateway.Protocol;
import dev.pipeline.local.instances.InstanceEndpoints;
import dev.pipeline.local.refresh.HealthModel;
import dev.pipeline.local.refresh.InstanceHealth;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local cloud's Application Load Balancers, for real: for each ALB with an HTTP listener forwarding to a
 * target group, a loopback HTTP server (one port per load balancer) that forwards requests to the group's healthy
 * targets, round robin, with {@code lb_cookie} stickiness; and health checks of every registered target over HTTP,
 * on the group's path, port, interval, timeout, thresholds and matcher, on the local clock. DescribeTargetHealth
 * answers from those checks; an instance refresh waits on them ({@link InstanceHealth}).
 *
 * <p>moto knows the load balancers, listeners, target groups and registrations (an Auto Scaling group registers its
 * instances itself); they are read from moto (directly, not through the gateway) about once a second, and at once
 * after a write to ELBv2, Auto Scaling or EC2 passes the gateway.
 *
 * <p>Where instances serve comes from {@link LocalCloud#instanceEndpoints()}. While no instance model is installed
 * ({@link InstanceEndpoints#NONE}) nothing could answer a check, so health falls back to the {@link HealthModel}
 * (moto's "healthy", minus images marked unhealthy), and the load balancer answers 502 for lack of a listening target.
 */
public final class LoadBalancers implements Interceptor, InstanceHealth {
    private static final Logger LOG = Logger.getLogger(LoadBalancers.class.getName());
    private static final Duration SYNC_PERIOD = Duration.ofSeconds(1);
    private static final Duration IDLE_SYNC_PERIOD = Duration.ofSeconds(3);
    /** Health checks never time out faster than this, whatever the time scale: a real servlet container on two busy cores needs it. */
    static final Duration MIN_CHECK_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(50);
    private static final DateTimeFormatter COOKIE_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final String NO_TARGETS_503 = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n"
            + "<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n";
    private static final String BAD_GATEWAY_502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
            + "<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
    private static final String GATEWAY_TIMEOUT_504 = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n"
            + "<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n";

    private final MotoElb moto;
    private final LocalClock clock;
    private final Supplier<InstanceEndpoints> endpoints;
    private final HealthModel legacy;
    private final StickyCookie cookies = new StickyCookie();
    private final dev.pipeline.local.cloudwatch.ElbMetrics metrics = new dev.pipeline.local.cloudwatch.ElbMetrics();

    private volatile Topology topology = Topology.EMPTY;
    private final Map<TargetKey, Tracked> tracked = new ConcurrentHashMap<>();
    private final Map<String, SiteServer> sites = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();
    private final Object syncLock = new Object();
    private volatile long generation;
    private volatile boolean dirty = true;
    private volatile boolean closed;
    private final Thread loop;
    /** Released to wake the loop early; never interrupt it, which would abort its SDK calls half-way. */
    private final java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);

    /** One registered target: instance id and port in a target group. */
    record TargetKey(String targetGroupArn, String id, int port) {}

    /** DescribeTargetHealth's TargetHealth. */
    record Health(String state, String reason, String description) {
        static final Health HEALTHY = new Health("healthy", null, null);
        boolean healthy() { return "healthy".equals(state); }
    }

    private static final class Tracked {
        final TargetHealthState health = new TargetHealthState();
        volatile Instant nextCheck = Instant.EPOCH;
        volatile boolean checking;
    }

    private record SiteServer(MotoElb.Site site, LoopbackHttpServer server) {}

    /**
     * @param motoEndpoint moto's own endpoint
     * @param endpoints    where instances' services listen, asked at each check and request (the instance model may be installed later)
     * @param legacy       the hand-kept health model used while no instance model is installed
     */
    public LoadBalancers(URI motoEndpoint, LocalClock clock, Supplier<InstanceEndpoints> endpoints, HealthModel legacy) {
        this.moto = new MotoElb(motoEndpoint);
        this.clock = clock;
        this.endpoints = endpoints;
        this.legacy = legacy;
        this.loop = Thread.ofVirtual().name("load-balancers").start(this::run);
    }

    /**
     * Whether target health comes from the HTTP checks (true: {@code -Dpipeline.targetHealth=checks} or
     * {@code PIPELINE_TARGET_HEALTH=checks}) or from the hand-kept {@link HealthModel} alone (false, the default).
     * With checks, the model's marks still apply, as checks that answer 500.
     */
    volatile boolean fromChecks = "checks".equalsIgnoreCase(askedHealth("model"));

    /** {@code -Dpipeline.targetHealth}, else {@code PIPELINE_TARGET_HEALTH}, else {@code fallback}. */
    private static String askedHealth(String fallback) {
        return System.getProperty("pipeline.targetHealth", System.getenv().getOrDefault("PIPELINE_TARGET_HEALTH", fallback));
    }

    /** The load balancers of a running local cloud. */
    public static LoadBalancers of(LocalCloud cloud) {
        for (Interceptor i : cloud.gateway().interceptors()) if (i instanceof LoadBalancers l) return l;
        throw new IllegalStateException("the load balancers are not installed in this local cloud");
    }

    /**
     * For a local cloud a person uses ({@code ./pipeline demo}, {@code local start}): target health from real HTTP
     * checks of the instances' Tomcats, unless {@code PIPELINE_TARGET_HEALTH=model} or
     * {@code -Dpipeline.targetHealth=model} asks for the hand-kept model. (The tests' default stays the model, see
     * {@link #fromChecks}, until every test's instances serve.)
     */
    public static void checksUnlessModelAsked(LocalCloud cloud) {
        of(cloud).healthFromChecks(!"model".equalsIgnoreCase(askedHealth("checks")));
    }

    /** True when target health comes from real HTTP checks (and an instance model answers where targets listen). */
    public boolean healthFromChecks() { return fromChecks && endpoints.get() != InstanceEndpoints.NONE; }

    /** Chooses real HTTP checks (true) or the hand-kept health model (false) from now on; kept across resets. */
    public void healthFromChecks(boolean checks) { this.fromChecks = checks; }

    private boolean realChecks() { return healthFromChecks(); }

    // ---- the gateway side: writes mark the topology stale; DescribeTargetHealth answers from the checks

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder forwarder) throws Exception {
        String service = request.service();
        if (!"elasticloadbalancing".equals(service) && !"autoscaling".equals(service) && !"ec2".equals(service)) return null;
        String op = request.operation();
        if ("elasticloadbalancing".equals(service) && "DescribeTargetHealth".equals(op)) return describeTargetHealth(request, forwarder);
        if (op != null && !op.startsWith("Describe") && !op.startsWith("Get") && !op.startsWith("List") && !TAG_WRITES.contains(op)) {
            dirty = true;
            wake.release(); // the loop re-reads moto once the write has had a moment to land
        }
        return null;
    }

    /**
     * Writes that change only tags, which nothing the loop reads depends on (target groups, their targets and
     * attributes, load balancers, listeners): waking it for them cost every tagging call a re-read of moto.
     */
    private static final Set<String> TAG_WRITES = Set.of("CreateTags", "DeleteTags", "CreateOrUpdateTags", "AddTags", "RemoveTags");

    private GatewayResponse describeTargetHealth(AwsRequest request, MotoForwarder forwarder) throws Exception {
        GatewayResponse answer = forwarder.forward(request);
        if (!answer.ok()) return answer;
        String xml = answer.bodyText();
        var members = TargetHealthXml.members(xml);
        if (members.isEmpty()) return answer;
        String tg = request.formParams().get("TargetGroupArn");
        boolean explicit = request.formParams().containsKey("Targets.member.1.Id");
        List<String> ids = members.stream().map(TargetHealthXml.Member::id).filter(i -> i.startsWith("i-")).distinct().toList();
        Map<String, MotoElb.InstanceFacts> facts = moto.instances(ids);
        Topology t = topology;
        return answer.withBody(TargetHealthXml.rewrite(xml, m -> {
            MotoElb.InstanceFacts f = facts.get(m.id());
            if (f == null) return Optional.empty(); // not an instance moto knows: as moto said
            if (f.gone()) {
                // the documented reason for a target "in the stopped or terminated state"; a whole-group listing drops it
                return explicit ? Optional.of(new Health("unused", "Target.InvalidState", "Target is in the terminated state"))
                        : Optional.of(TargetHealthXml.REMOVE);
            }
            if (f.stopped()) return Optional.of(new Health("unused", "Target.InvalidState", "Target is in the stopped state"));
            return Optional.of(health(t, new TargetKey(tg, m.id(), m.port()), f.imageId()));
        }));
    }

    /** The health of one running target, as DescribeTargetHealth reports it. */
    private Health health(Topology t, TargetKey key, String imageId) {
        if (!realChecks()) {
            // description text not confirmed against AWS; state and reason code are from the API reference
            return legacy.isUnhealthy(imageId) ? new Health("unhealthy", "Target.FailedHealthChecks", "Health checks failed") : Health.HEALTHY;
        }
        MotoElb.Group g = t.groups.get(key.targetGroupArn());
        if (g != null && !t.inUse(g.arn())) {
            return new Health("unused", "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer");
        }
        Tracked tr = tracked.get(key);
        if (tr == null) return new Health("initial", "Elb.RegistrationInProgress", "Target registration is in progress");
        synchronized (tr.health) {
            return switch (tr.health.state()) {
                case HEALTHY -> Health.HEALTHY;
                case INITIAL -> new Health("initial", tr.health.reason(), tr.health.description());
                case UNHEALTHY -> new Health("unhealthy", tr.health.reason(), tr.health.description());
            };
        }
    }

    // ---- InstanceHealth: what an instance refresh waits on

    @Override
    public Verdict of(String instanceId, String imageId) {
        if (!realChecks()) {
            return legacy.isUnhealthy(imageId)
                    ? new Verdict(Kind.UNHEALTHY, "its load balancer target health is unhealthy (Target.FailedHealthChecks)")
                    : Verdict.HEALTHY;
        }
        syncNow();
        Topology t = topology;
        Verdict worst = Verdict.HEALTHY;
        for (TargetKey k : t.targets) {
            if (!k.id().equals(instanceId) || !t.inUse(k.targetGroupArn())) continue;
            Health h = health(t, k, imageId);
            String where = "target group " + t.groups.get(k.targetGroupArn()).name();
            Verdict v = switch (h.state()) {
                case "healthy" -> Verdict.HEALTHY;
                case "initial" -> new Verdict(Kind.PENDING, "its health checks in " + where + " are still in progress (" + h.reason() + ")");
                case "unhealthy" -> new Verdict("Target.ResponseCodeMismatch".equals(h.reason()) ? Kind.UNHEALTHY : Kind.NOT_ANSWERING,
                        "it is unhealthy in " + where + " (" + h.reason() + ": " + h.description() + ")");
                default -> Verdict.HEALTHY;
            };
            if (v.kind().ordinal() > worst.kind().ordinal()) worst = v;
        }
        return worst;
    }

    /**
     * A refresh waits up to 10 minutes of AWS time for new targets to pass, and at least {@link #MIN_PATIENCE} of wall
     * time: a real boot (units, Tomcat, the WAR) on a busy machine can take longer than the scaled figure.
     */
    @Override
    public Duration patience() {
        if (!realChecks()) return Duration.ZERO;
        Duration d = clock.local(Duration.ofMinutes(10));
        return d.compareTo(MIN_PATIENCE) < 0 ? MIN_PATIENCE : d;
    }

    /**
     * 60 s: 15 s was measured too short on 2 cores running two suites at once (the demo's first deploy was rolled back
     * because its new instances' Tomcats had not answered yet). Only targets not answering yet are waited for; one
     * answering with a wrong code fails the refresh at once, so a broken release costs no more time.
     */
    static final Duration MIN_PATIENCE = Duration.ofSeconds(60);

    // ---- CloudWatch metrics (AWS/ApplicationELB), from the sites' traffic and the targets' health

    /** The metrics the sites' traffic and the host-count samples produce, for the alarm evaluator. */
    public dev.pipeline.local.cloudwatch.ElbMetrics metrics() { return metrics; }

    /**
     * Samples HealthyHostCount and UnHealthyHostCount of every site's target group: targets in state healthy and
     * unhealthy (initial, draining and unused count as neither, as ELB counts them).
     */
    public void sampleHostCounts(Instant at) {
        Topology t = topology;
        for (SiteServer s : sites.values()) {
            String tg = s.site().targetGroupArn();
            int healthy = 0;
            int unhealthy = 0;
            for (TargetKey k : t.targets) {
                if (!k.targetGroupArn().equals(tg)) continue;
                switch (health(t, k, t.imageOf.get(k.id())).state()) {
                    case "healthy" -> healthy++;
                    case "unhealthy" -> unhealthy++;
                    default -> { }
                }
            }
            metrics.hosts(s.site().loadBalancerArn(), tg, healthy, unhealthy, at);
        }
    }

    // ---- the sites: one loopback HTTP server per load balancer

    /** The local address of each load balancer's HTTP listener: {@code GET /_local/sites}. */
    public List<MotoElb.Site> sites() {
        syncNow();
        List<MotoElb.Site> out = new ArrayList<>();
        for (SiteServer s : sites.values()) out.add(s.site().withLocalPort(s.server().port()));
        out.sort(java.util.Comparator.comparing(MotoElb.Site::loadBalancerName));
        return out;
    }

    /** The {@code /_local/sites} control route. */
    public GatewayResponse route(AwsRequest r) {
        ControlApi.requireMethod(r, "GET");
        ArrayNode a = ControlApi.JSON.createArrayNode();
        for (MotoElb.Site s : sites()) {
            ObjectNode n = a.addObject();
            n.put("loadBalancerName", s.loadBalancerName());
            n.put("loadBalancerArn", s.loadBalancerArn());
            n.put("dnsName", s.dnsName());
            n.put("listenerPort", s.listenerPort());
            n.put("targetGroupArn", s.targetGroupArn());
            n.put("url", "http://127.0.0.1:" + s.localPort() + "/");
        }
        return ControlApi.ok(a);
    }

    private GatewayResponse serve(String lbArn, String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        SiteServer site = sites.get(lbArn);
        Topology t = topology;
        MotoElb.Group g = site == null ? null : t.groups.get(site.site().targetGroupArn());
        if (g == null) return GatewayResponse.of(503, "text/html", NO_TARGETS_503);
        List<TargetKey> routable = routable(t, g);
        if (routable.isEmpty()) {
            metrics.response(lbArn, g.arn(), 503, false, Instant.now());
            return GatewayResponse.of(503, "text/html", NO_TARGETS_503);
        }
        TargetKey chosen = null;
        Instant now = Instant.now();
        if (g.stickyLbCookie()) {
            Optional<StickyCookie.Binding> b = cookie(headers, StickyCookie.NAME).flatMap(cookies::decode)
                    .or(() -> cookie(headers, StickyCookie.CORS_NAME).flatMap(cookies::decode));
            if (b.isPresent() && b.get().targetGroupArn().equals(g.arn()) && b.get().expires().isAfter(now)) {
                TargetKey bound = new TargetKey(g.arn(), b.get().targetId(), b.get().port());
                if (routable.contains(bound)) chosen = bound;
            }
        }
        if (chosen == null) {
            int i = Math.floorMod(roundRobin.computeIfAbsent(g.arn(), k -> new AtomicInteger()).getAndIncrement(), routable.size());
            chosen = routable.get(i);
        }
        Forwarded fwd = forward(chosen, site.site(), method, path, query, headers, body);
        GatewayResponse r = fwd.response();
        metrics.response(lbArn, g.arn(), r.status(), fwd.fromTarget(), Instant.now());
        if (g.stickyLbCookie()) {
            // "the Application Load Balancer resets the expiry of the cookies it generates after every request"
            Instant expires = now.plus(clock.local(Duration.ofSeconds(g.stickySeconds())));
            String value = cookies.encode(new StickyCookie.Binding(g.arn(), chosen.id(), chosen.port(), expires));
            String exp = COOKIE_DATE.format(expires);
            Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            h.putAll(r.headers());
            List<String> setCookie = new ArrayList<>(h.getOrDefault("Set-Cookie", List.of()));
            setCookie.add(StickyCookie.NAME + "=" + value + "; Expires=" + exp + "; Path=/");
            setCookie.add(StickyCookie.CORS_NAME + "=" + value + "; Expires=" + exp + "; Path=/; SameSite=None; Secure");
            h.put("Set-Cookie", setCookie);
            r = new GatewayResponse(r.status(), h, r.body());
        }
        return r;
    }

    /**
     * The targets a request may go to: the healthy ones; when every registered target is unhealthy, all of them
     * (ALB "fails open": "If a target group contains only unhealthy registered targets, the load balancer routes
     * requests to all those targets"); otherwise (none registered, or only targets still in their initial checks) none.
     */
    private List<TargetKey> routable(Topology t, MotoElb.Group g) {
        List<TargetKey> healthy = new ArrayList<>();
        List<TargetKey> unhealthy = new ArrayList<>();
        boolean other = false;
        for (TargetKey k : t.targets) {
            if (!k.targetGroupArn().equals(g.arn())) continue;
            Health h = health(t, k, t.imageOf.get(k.id()));
            switch (h.state()) {
                case "healthy" -> healthy.add(k);
                case "unhealthy" -> unhealthy.add(k);
                default -> other = true;
            }
        }
        if (!healthy.isEmpty()) return healthy;
        return other ? List.of() : unhealthy;
    }

    /** A response, and whether the target gave it (false: the load balancer answered 502/504 itself). */
    private record Forwarded(GatewayResponse response, boolean fromTarget) {}

    private Forwarded forward(TargetKey target, MotoElb.Site site, String method, String path, String query,
                              Map<String, List<String>> headers, byte[] body) {
        Optional<InetSocketAddress> at = endpoints.get().resolve(target.id(), target.port());
        if (at.isEmpty()) return new Forwarded(GatewayResponse.of(502, "text/html", BAD_GATEWAY_502), false);
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        // what an ALB adds (ALB user guide, "HTTP headers and Application Load Balancers")
        List<String> xff = new ArrayList<>(h.getOrDefault("X-Forwarded-For", List.of()));
        h.put("X-Forwarded-For", List.of(xff.isEmpty() ? "127.0.0.1" : String.join(", ", xff) + ", 127.0.0.1"));
        h.put("X-Forwarded-Proto", List.of("http"));
        h.put("X-Forwarded-Port", List.of(String.valueOf(site.listenerPort())));
        InetSocketAddress a = at.get();
        try {
            return new Forwarded(new MotoForwarder(URI.create("http://" + a.getHostString() + ":" + a.getPort()))
                    .forward(new AwsRequest(method, path, query, h, body, "", "", Protocol.NONE)), true);
        } catch (SocketTimeoutException e) {
            return new Forwarded(GatewayResponse.of(504, "text/html", GATEWAY_TIMEOUT_504), false);
        } catch (IOException e) {
            return new Forwarded(GatewayResponse.of(502, "text/html", BAD_GATEWAY_502), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Forwarded(GatewayResponse.of(502, "text/html", BAD_GATEWAY_502), false);
        }
    }

    private static Optional<String> cookie(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (!e.getKey().equalsIgnoreCase("Cookie")) continue;
            for (String line : e.getValue()) {
                for (String pair : line.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).trim().equals(name)) return Optional.of(pair.substring(eq + 1).trim());
                }
            }
        }
        return Optional.empty();
    }

    // ---- the loop: re-read moto, open and close sites, run the checks that are due

    private void run() {
        Instant lastSync = Instant.EPOCH;
        while (!closed) {
            try {
                Topology t = topology;
                Duration period = t.groups.isEmpty() && t.sites.isEmpty() ? IDLE_SYNC_PERIOD : SYNC_PERIOD;
                if (dirty || Instant.now().isAfter(lastSync.plus(period))) {
                    dirty = false;
                    lastSync = Instant.now();
                    sync();
                }
            } catch (RuntimeException e) {
                if (closed) return;
                LOG.log(Level.FINE, "load balancer sync failed (moto restarting or reset?)", e);
            }
            try {
                if (realChecks()) runDueChecks();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "health checks could not start", e);
            }
            try {
                if (wake.tryAcquire(tick().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                    Thread.sleep(30); // woken by a write: let moto finish it
                }
            } catch (InterruptedException e) {
                if (closed) return;
            }
        }
    }

    private Duration tick() {
        Duration d = Duration.ofMillis(250);
        if (!realChecks()) return d;
        for (MotoElb.Group g : topology.groups.values()) {
            Duration i = interval(g);
            if (i.compareTo(d) < 0) d = i;
        }
        return d;
    }

    private Duration interval(MotoElb.Group g) {
        Duration i = clock.local(Duration.ofSeconds(g.intervalSeconds()));
        return i.compareTo(MIN_CHECK_INTERVAL) < 0 ? MIN_CHECK_INTERVAL : i;
    }

    private Duration timeout(MotoElb.Group g) {
        Duration d = clock.local(Duration.ofSeconds(g.timeoutSeconds()));
        return d.compareTo(MIN_CHECK_TIMEOUT) < 0 ? MIN_CHECK_TIMEOUT : d;
    }

    /** Re-reads moto now (the caller needs registrations made a moment ago). */
    void syncNow() {
        try {
            sync();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "load balancer sync failed", e);
        }
    }

    private void sync() {
        synchronized (syncLock) {
            long gen = generation;
            Topology t = new Topology(moto.read());
            if (gen != generation || closed) return;
            topology = t;
            tracked.keySet().removeIf(k -> !t.targets.contains(k));
            for (TargetKey k : t.targets) if (t.inUse(k.targetGroupArn())) tracked.computeIfAbsent(k, x -> new Tracked());
            // open a server for each new site, close those whose load balancer or listener went away
            for (MotoElb.Site s : t.sites.values()) {
                SiteServer existing = sites.get(s.loadBalancerArn());
                if (existing != null && existing.site().targetGroupArn().equals(s.targetGroupArn())) continue;
                if (existing != null) {
                    sites.put(s.loadBalancerArn(), new SiteServer(s, existing.server()));
                    continue;
                }
                try {
                    LoopbackHttpServer server = new LoopbackHttpServer(0,
                            (method, path, query, headers, body) -> serve(s.loadBalancerArn(), method, path, query, headers, body));
                    server.start();
                    sites.put(s.loadBalancerArn(), new SiteServer(s, server));
                    LOG.fine("load balancer " + s.loadBalancerName() + " (" + s.dnsName() + ") serves at http://127.0.0.1:" + server.port() + "/");
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "could not open a local port for load balancer " + s.loadBalancerName(), e);
                }
            }
            for (String arn : List.copyOf(sites.keySet())) {
                if (!t.sites.containsKey(arn)) {
                    SiteServer gone = sites.remove(arn);
                    if (gone != null) gone.server().close();
                }
            }
        }
    }

    private void runDueChecks() {
        Topology t = topology;
        Instant now = Instant.now();
        for (Map.Entry<TargetKey, Tracked> e : tracked.entrySet()) {
            Tracked tr = e.getValue();
            if (tr.checking || now.isBefore(tr.nextCheck)) continue;
            MotoElb.Group g = t.groups.get(e.getKey().targetGroupArn());
            if (g == null) continue;
            tr.checking = true;
            tr.nextCheck = now.plus(interval(g));
            long gen = generation;
            Thread.ofVirtual().name("health-check").start(() -> {
                try {
                    CheckResult r = check(g, e.getKey(), t.imageOf.get(e.getKey().id()));
                    if (gen != generation) return;
                    synchronized (tr.health) {
                        tr.health.record(r, g.healthyThreshold(), g.unhealthyThreshold());
                    }
                } finally {
                    tr.checking = false;
                }
            });
        }
    }

    /**
     * One health check request: GET (HealthCheckPath) on the health check port, no redirects followed, within the
     * timeout. An instance of an image the health model marks answers 500 without a request: the injected fault of
     * an app that works on its builder and fails on the fleet, which the local cloud cannot produce by itself.
     */
    private CheckResult check(MotoElb.Group g, TargetKey k, String imageId) {
        if (legacy.isUnhealthy(imageId)) return CheckResult.mismatch(500);
        int port = "traffic-port".equals(g.healthCheckPort()) || g.healthCheckPort() == null ? k.port() : Integer.parseInt(g.healthCheckPort());
        Optional<InetSocketAddress> at = endpoints.get().resolve(k.id(), port);
        if (at.isEmpty()) return CheckResult.failed();
        int ms = (int) Math.max(1, timeout(g).toMillis());
        HttpURLConnection c = null;
        try {
            String path = g.healthCheckPath() == null || g.healthCheckPath().isBlank() ? "/" : g.healthCheckPath();
            c = (HttpURLConnection) URI.create("http://" + at.get().getHostString() + ":" + at.get().getPort() + path).toURL().openConnection();
            c.setConnectTimeout(ms);
            c.setReadTimeout(ms);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setRequestProperty("User-Agent", "ELB-HealthChecker/2.0");
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                if (in != null) in.readAllBytes();
            }
            return g.matcher().matches(status) ? CheckResult.success(status) : CheckResult.mismatch(status);
        } catch (SocketTimeoutException e) {
            return CheckResult.timeout();
        } catch (IOException | RuntimeException e) {
            return CheckResult.failed();
        } finally {
            if (c != null) c.disconnect();
        }
    }

    // ---- lifecycle

    /** Closes every site, forgets every target's health (the next test's targets start from initial). */
    @Override
    public void reset() {
        synchronized (syncLock) {
            generation++;
            topology = Topology.EMPTY;
            tracked.clear();
            roundRobin.clear();
            for (SiteServer s : sites.values()) s.server().close();
            sites.clear();
            metrics.clear();
            dirty = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        reset();
        moto.close();
    }

    /** What moto says, read at one moment: target groups, registered targets of running instances, sites. */
    private static final class Topology {
        static final Topology EMPTY = new Topology(MotoElb.Snapshot.EMPTY);
        final Map<String, MotoElb.Group> groups;
        final List<TargetKey> targets;
        final Map<String, String> imageOf;
        final Map<String, MotoElb.Site> sites;
        final java.util.Set<String> inUse;

        Topology(MotoElb.Snapshot s) {
            this.groups = s.groups();
            List<TargetKey> ts = new ArrayList<>();
            Map<String, String> images = new HashMap<>();
            for (MotoElb.Registration r : s.registrations()) {
                MotoElb.InstanceFacts f = s.instances().get(r.id());
                if (r.id().startsWith("i-") && (f == null || f.gone() || f.stopped())) continue;
                ts.add(new TargetKey(r.targetGroupArn(), r.id(), r.port()));
                if (f != null) images.put(r.id(), f.imageId());
            }
            ts.sort(java.util.Comparator.comparing(TargetKey::targetGroupArn).thenComparing(TargetKey::id).thenComparingInt(TargetKey::port));
            this.targets = List.copyOf(ts);
            this.imageOf = images;
            this.sites = s.sites();
            this.inUse = s.inUse();
        }

        boolean inUse(String targetGroupArn) { return inUse.contains(targetGroupArn); }
    }
}
