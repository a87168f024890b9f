package dev.pipeline.local.dynamodb;

import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes DynamoDB's conditional writes atomic, as they are on AWS: moto_server handles requests on many threads and
 * evaluates a ConditionExpression and applies the write without any lock, so two concurrent
 * {@code attribute_not_exists} puts on one item can both succeed (two holders of one lock). The gateway sends
 * DynamoDB requests to moto one at a time. Stateless; stronger than AWS's per-item isolation, which no test can
 * tell apart, at the cost of no DynamoDB parallelism locally.
 */
public final class ItemIsolation implements Interceptor {
    private final ReentrantLock lock = new ReentrantLock(true);

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (!"dynamodb".equals(request.service())) return null;
        lock.lock();
        try {
            return moto.forward(request);
        } finally {
            lock.unlock();
        }
    }
}
