package dev.pipeline.provision.cfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.pipeline.functions.JsonHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for CloudFormation's presigned response URL: records every answer PUT to it. */
final class ResponseCatcher implements AutoCloseable {
    record Answer(String contentType, JsonNode body) {}

    private final HttpServer server;
    final List<Answer> answers = new CopyOnWriteArrayList<>();

    ResponseCatcher() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", ex -> {
            answers.add(new Answer(ex.getRequestHeaders().getFirst("Content-Type"),
                    JsonHandler.JSON.readTree(ex.getRequestBody().readAllBytes())));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    String url(String requestId) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/cfn-response/" + requestId + "?X-Amz-Signature=abc";
    }

    @Override
    public void close() { server.stop(0); }
}
