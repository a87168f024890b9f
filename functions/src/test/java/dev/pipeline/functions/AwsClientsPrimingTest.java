package dev.pipeline.functions;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart priming: what AwsClients sends before a snapshot, seen by a loopback HTTP server standing in for AWS. */
class AwsClientsPrimingTest {
    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String target = x.getRequestHeaders().getFirst("X-Amz-Target");
            String action = target != null ? target : body.replaceAll(".*Action=([A-Za-z]+).*", "$1");
            seen.add(action + " connection=" + x.getRequestHeaders().getFirst("Connection"));
            // every priming call gets an error answer: priming must still go on, call after call
            byte[] err = "<Response><Errors><Error><Code>AuthFailure</Code><Message>no</Message></Error></Errors></Response>"
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(403, err.length);
            x.getResponseBody().write(err);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() { server.stop(0); }

    private AwsClients clients() {
        return new AwsClients(new Env(Map.of("AWS_REGION", "us-east-1", "PIPELINE_LOCAL", "true",
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:" + server.getAddress().getPort())));
    }

    @Test
    void priming_readsWithEveryBuiltClient_andAsksToCloseEachConnection() {
        AwsClients aws = clients();
        aws.get(Ec2Client.class, Ec2Client::builder);
        aws.get(DynamoDbClient.class, DynamoDbClient::builder);

        List<String> primed = aws.prime();

        assertThat(primed).containsExactly("DynamoDbClient", "Ec2Client");
        assertThat(seen).anyMatch(s -> s.startsWith("DescribeInstances"))
                .anyMatch(s -> s.startsWith("DescribeImages"))
                .anyMatch(s -> s.startsWith("DescribeLaunchTemplates"))
                .anyMatch(s -> s.startsWith("DynamoDB_20120810.DescribeTable"));
        // nothing pooled survives into the snapshot
        assertThat(seen).allMatch(s -> s.endsWith("connection=close"));
    }

    @Test
    void priming_callsNothing_whenNoClientWasBuilt() {
        assertThat(clients().prime()).isEmpty();
        assertThat(seen).isEmpty();
    }
}
