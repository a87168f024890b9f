package dev.pipeline.cli.env;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipeline.cli.CommandFailedException;
import dev.pipeline.local.LocalClients;
import dev.pipeline.local.deploy.LocalDeployment;
import dev.pipeline.local.deploy.SamTemplate;
import dev.pipeline.local.lambda.FunctionDefinition;
import software.amazon.awssdk.core.SdkClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local cloud running in another process (./pipeline local start): SDK clients for it, and template.yaml
 * deployed to it, functions registered over its control API.
 */
public final class LocalTarget {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final Map<Class<?>, Object> clients = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public LocalTarget(URI endpoint) { this.endpoint = endpoint; }

    public URI endpoint() { return endpoint; }

    @SuppressWarnings("unchecked")
    public <T extends SdkClient> T client(Class<T> type) {
        return (T) clients.computeIfAbsent(type, t -> LocalClients.create(type, endpoint));
    }

    /**
     * The template parameters every local deployment uses: uploads start deploys that poll every second (the
     * template's default of 30 s suits AWS's minutes-long bakes; the local cloud's take seconds).
     */
    public static final Map<String, String> PARAMETERS = Map.of("PollSeconds", "1");

    /** template.yaml (found from {@code root}) deployed for {@code environment}. */
    public LocalDeployment.Deployed deploy(Path root, String environment) throws IOException {
        SamTemplate template = SamTemplate.read(SamTemplate.locate(root));
        return new LocalDeployment(template, this::client, this::register, endpoint.toString()).deploy(environment, PARAMETERS);
    }

    /**
     * The local address of the load balancer named by {@code dnsName} (or of the only one, when no name matches):
     * the local cloud serves each ALB on its own loopback port ({@code GET /_local/sites}), because the ALB's DNS
     * name does not resolve here. Empty when the local cloud serves no site.
     */
    public java.util.Optional<String> siteUrl(String dnsName) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/_local/sites")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return java.util.Optional.empty();
            com.fasterxml.jackson.databind.JsonNode sites = JSON.readTree(r.body());
            for (com.fasterxml.jackson.databind.JsonNode s : sites) {
                if (s.path("dnsName").asText().equalsIgnoreCase(dnsName)) return java.util.Optional.of(s.path("url").asText());
            }
            return sites.size() == 1 ? java.util.Optional.of(sites.get(0).path("url").asText()) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    private void register(FunctionDefinition f) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/_local/functions"))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(f)))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new CommandFailedException("the local cloud at " + endpoint + " refused function " + f.name() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new CommandFailedException("the local cloud at " + endpoint + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted", e);
        }
    }
}
