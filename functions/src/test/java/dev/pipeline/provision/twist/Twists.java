package dev.pipeline.provision.twist;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One-shot answers for the next matching AWS call, for situations moto cannot produce on its own (a listing that
 * lags behind a create, AWS refusing a duplicate AMI name, an image that failed). Installed once per local cloud;
 * forgotten when the cloud is reset before each test. Twists answer before every other interceptor (IAM and the
 * instance model included): they stand in for AWS itself, and {@code moto} in an answer is moto unchanged.
 */
public final class Twists implements Interceptor {
    private static final Map<LocalCloud, Twists> INSTALLED = new ConcurrentHashMap<>();

    /** How to answer one call; {@code moto} is there to let the call through first. */
    @FunctionalInterface
    public interface Answer {
        GatewayResponse answer(AwsRequest request, MotoForwarder moto) throws Exception;
    }

    private record Pending(String service, String operation, Answer answer) {}

    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();

    private Twists() {}

    public static Twists on(LocalCloud cloud) {
        return INSTALLED.computeIfAbsent(cloud, c -> {
            Twists t = new Twists();
            c.addInterceptorFirst(t);
            return t;
        });
    }

    /** The next call of {@code service:operation} gets {@code answer} instead of moto's. */
    public void once(String service, String operation, Answer answer) {
        pending.add(new Pending(service, operation, answer));
    }

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        for (Pending p : pending) {
            if (p.service().equals(request.service()) && p.operation().equals(request.operation()) && pending.remove(p)) {
                return p.answer().answer(request, moto);
            }
        }
        return null;
    }

    @Override
    public void reset() {
        pending.clear();
    }
}
