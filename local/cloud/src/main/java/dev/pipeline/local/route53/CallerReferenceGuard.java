package dev.pipeline.local.route53;

import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.CallerScope;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Route 53 CreateHostedZone refuses a CallerReference it has seen before, as AWS does (moto creates another zone).
 * Keyed by account and caller reference; kept after the zone is deleted, because AWS never lets a caller
 * reference be used again; forgotten only when the local cloud is reset.
 */
public final class CallerReferenceGuard implements Interceptor {

    /** A reference that made a zone, or is making one right now. */
    private record Used(String account, String callerReference) {}

    private final Map<Used, Boolean> used = new ConcurrentHashMap<>();
    private final CallerScope.Resolver scopes = new CallerScope.Resolver();

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (!"route53".equals(request.service()) || !"CreateHostedZone".equals(request.operation())) return null;
        String reference = callerReference(request.body());
        if (reference == null) return null; // moto answers the missing required element
        Used key = new Used(scopes.of(request, moto).account(), reference);
        // Claimed before moto is asked, so of two concurrent creates with one reference exactly one makes a zone.
        if (used.putIfAbsent(key, Boolean.TRUE) != null) {
            // AWS: HTTP 409, "Amazon Route 53 returns this error when a hosted zone has already been created with
            // the specified CallerReference". Also for a zone since deleted, and for an identical retry: Route 53
            // does not replay the first answer (users found both; the API reference says a reference must be
            // unique for every CreateHostedZone request). The message is the one AWS users quote.
            return AwsErrors.error(request, 409, "HostedZoneAlreadyExists",
                    "A hosted zone has already been created with the specified caller reference.");
        }
        GatewayResponse r;
        try {
            r = moto.forward(request);
        } catch (Exception e) {
            used.remove(key);
            throw e;
        }
        // A refused request (bad name, bad VPC...) made no zone. AWS: the reference "allows failed CreateHostedZone
        // requests to be retried without the risk of executing the operation twice", so it stays usable.
        if (!r.ok()) used.remove(key);
        return r;
    }

    private static String callerReference(byte[] body) throws IOException {
        if (body.length == 0) return null;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList l = f.newDocumentBuilder().parse(new ByteArrayInputStream(body)).getElementsByTagName("CallerReference");
            return l.getLength() == 0 ? null : l.item(0).getTextContent();
        } catch (SAXException e) {
            return null; // not XML: moto answers it as AWS would a malformed request
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void reset() {
        used.clear();
        scopes.clear();
    }
}
