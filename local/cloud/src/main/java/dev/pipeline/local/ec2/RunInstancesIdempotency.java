package dev.pipeline.local.ec2;

import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.CallerScope;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import dev.pipeline.local.gateway.Protocol;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * RunInstances ClientToken idempotency, which moto lacks (it launches new instances for a repeated token): the
 * same token with the same parameters returns the first launch's reservation, with the instances' current
 * states; with other parameters it is IdempotentParameterMismatch. Also answers DescribeInstances' client-token
 * filter, which gives a 500 in moto. Keyed by account, region, Placement.AvailabilityZone and client token.
 */
public final class RunInstancesIdempotency implements Interceptor {
    /** Parameters that are not part of "the same request": the protocol's own and the token itself. */
    private static final Set<String> NOT_COMPARED = Set.of("Action", "Version", "ClientToken");

    /**
     * AWS: "If you retry a successful request using the same client token, but one or more of the parameters are
     * different, other than the Region or Availability Zone, the retry fails with IdempotentParameterMismatch".
     * A token is per Region (AWS says the same request in another Region launches there); we read the AZ the same
     * way, so a different Placement.AvailabilityZone is another launch. Not confirmed beyond that sentence.
     */
    private record TokenKey(CallerScope scope, String availabilityZone, String clientToken) {}

    /** One successful launch: the parameters it was made with, moto's answer, and its instances. */
    private record Launch(Map<String, String> params, GatewayResponse response, List<String> instanceIds) {}

    private final Map<TokenKey, Launch> launches = new ConcurrentHashMap<>();
    private final Map<TokenKey, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final CallerScope.Resolver scopes = new CallerScope.Resolver();

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (request.protocol() != Protocol.EC2) return null;
        return switch (request.operation()) {
            case "RunInstances" -> runInstances(request, moto);
            case "DescribeInstances" -> describeByClientToken(request, moto);
            default -> null;
        };
    }

    private GatewayResponse runInstances(AwsRequest request, MotoForwarder moto) throws Exception {
        Map<String, String> form = request.formParams();
        String token = form.get("ClientToken");
        // no token: not idempotent on AWS either. DryRun: only checks permissions, launches nothing, records nothing.
        if (token == null || token.isEmpty() || "true".equalsIgnoreCase(form.get("DryRun"))) return null;
        TokenKey key = new TokenKey(scopes.of(request, moto), form.get("Placement.AvailabilityZone"), token);
        Map<String, String> params = comparable(form);
        // one lock per token: concurrent retries of one launch collapse into it instead of racing to launch twice
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            Launch earlier = launches.get(key);
            if (earlier != null) {
                if (!earlier.params().equals(params)) {
                    // AWS's message, as reported by users who met it
                    return AwsErrors.error(request, 400, "IdempotentParameterMismatch",
                            "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).");
                }
                return replay(request, earlier, moto);
            }
            GatewayResponse r = moto.forward(request);
            // Only a success is remembered: after a failure AWS lets the same token launch again.
            if (r.ok()) launches.put(key, new Launch(params, r, instanceIds(Ec2Xml.parse(r.body()))));
            return r;
        } finally {
            lock.unlock();
        }
    }

    /**
     * AWS: "If you repeat the request with the same client token, the same response is returned ... The only
     * information that might vary in the response is the state of the instance". So the first answer, with each
     * instance's state as moto has it now (terminated ones included).
     */
    private GatewayResponse replay(AwsRequest request, Launch earlier, MotoForwarder moto) throws Exception {
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put("Filter.1.Name", "instance-id");
        for (int i = 0; i < earlier.instanceIds().size(); i++) filter.put("Filter.1.Value." + (i + 1), earlier.instanceIds().get(i));
        GatewayResponse now = moto.forward(Ec2Xml.call(request, "DescribeInstances", filter));
        if (!now.ok()) return now;
        Map<String, Element> stateById = new HashMap<>();
        for (Element item : instanceItems(Ec2Xml.parse(now.body()))) {
            stateById.put(Ec2Xml.childText(item, "instanceId"), Ec2Xml.child(item, "instanceState"));
        }
        Document doc = Ec2Xml.parse(earlier.response().body());
        for (Element item : instanceItems(doc)) {
            Element current = stateById.get(Ec2Xml.childText(item, "instanceId"));
            Element stale = Ec2Xml.child(item, "instanceState");
            if (current != null && stale != null) item.replaceChild(doc.importNode(current, true), stale);
        }
        return earlier.response().withBody(Ec2Xml.serialize(doc));
    }

    /**
     * DescribeInstances with a client-token filter (moto: HTTP 500): the filter is answered from the launches
     * remembered here and handed to moto as an instance-id filter, so the other filters, instance ids and
     * paging still apply. Values may use the * and ? wildcards, as in every EC2 filter.
     */
    private GatewayResponse describeByClientToken(AwsRequest request, MotoForwarder moto) throws Exception {
        Ec2Filters filters = Ec2Filters.from(request.formParams());
        List<List<String>> tokenFilters = filters.valuesOf("client-token");
        if (tokenFilters.isEmpty()) return null;
        CallerScope scope = scopes.of(request, moto);
        Set<String> ids = null;
        for (List<String> values : tokenFilters) {
            // values within one filter are OR'ed, separate filters AND'ed
            Set<String> matching = new LinkedHashSet<>();
            launches.forEach((k, launch) -> {
                if (k.scope().equals(scope) && Ec2Filters.matchesAny(values, k.clientToken())) matching.addAll(launch.instanceIds());
            });
            if (ids == null) ids = matching;
            else ids.retainAll(matching);
        }
        if (ids.isEmpty()) {
            return Ec2Xml.ok("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeInstancesResponse xmlns=\"" + Ec2Xml.NAMESPACE
                    + "\"><requestId>" + Ec2Xml.requestId() + "</requestId><reservationSet/></DescribeInstancesResponse>");
        }
        Map<String, String> rewritten = filters.without("client-token").with("instance-id", new ArrayList<>(ids))
                .writeOver(request.formParams());
        return moto.forward(Ec2Xml.withParams(request, rewritten));
    }

    private static Map<String, String> comparable(Map<String, String> form) {
        Map<String, String> p = new TreeMap<>(form);
        p.keySet().removeAll(NOT_COMPARED);
        p.remove("Placement.AvailabilityZone"); // part of the key instead
        return p;
    }

    private static List<String> instanceIds(Document runInstancesResponse) {
        List<String> ids = new ArrayList<>();
        for (Element item : instanceItems(runInstancesResponse)) ids.add(Ec2Xml.childText(item, "instanceId"));
        return ids;
    }

    /** The items of every instancesSet (RunInstances has one, DescribeInstances one per reservation). */
    private static List<Element> instanceItems(Document doc) {
        List<Element> items = new ArrayList<>();
        var sets = doc.getElementsByTagName("instancesSet");
        for (int i = 0; i < sets.getLength(); i++) items.addAll(Ec2Xml.children(sets.item(i), "item"));
        return items;
    }

    @Override
    public void reset() {
        launches.clear();
        locks.clear();
        scopes.clear();
    }
}
