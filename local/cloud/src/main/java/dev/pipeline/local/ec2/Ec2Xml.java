package dev.pipeline.local.ec2;

import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Protocol;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reading and writing the EC2 query protocol: XML answers and form-encoded calls the gateway makes to moto itself. */
final class Ec2Xml {
    static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private Ec2Xml() {}

    static Document parse(byte[] xml) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("unreadable XML from moto: " + e.getMessage(), e);
        }
    }

    static String serialize(Document doc) {
        try {
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Text of the first element named {@code tag} anywhere under {@code root}, or null. */
    static String text(Node root, String tag) {
        NodeList l = root instanceof Document d ? d.getElementsByTagName(tag) : ((Element) root).getElementsByTagName(tag);
        return l.getLength() == 0 ? null : l.item(0).getTextContent();
    }

    /** Text of the direct child element named {@code tag}, or null. */
    static String childText(Node parent, String tag) {
        Element c = child(parent, tag);
        return c == null ? null : c.getTextContent();
    }

    /** Direct child elements of {@code parent} named {@code tag}. */
    static List<Element> children(Node parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && tag.equals(e.getTagName())) out.add(e);
        }
        return out;
    }

    static Element child(Node parent, String tag) {
        List<Element> c = children(parent, tag);
        return c.isEmpty() ? null : c.getFirst();
    }

    /**
     * A call the gateway makes to moto on the caller's behalf: same credentials and region (so the same moto
     * account and backend), its own action and parameters.
     */
    static AwsRequest call(AwsRequest caller, String action, Map<String, String> params) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", action);
        form.put("Version", caller.formParams().getOrDefault("Version", "2016-11-15"));
        form.putAll(params);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h : List.of("Authorization", "X-Amz-Date", "X-Amz-Security-Token", "x-moto-account-id", "Host")) {
            if (caller.header(h) != null) headers.put(h, List.of(caller.header(h)));
        }
        headers.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
        return new AwsRequest("POST", "/", null, headers, AwsRequest.encodeForm(form).getBytes(StandardCharsets.UTF_8),
                caller.service(), action, Protocol.EC2);
    }

    /** The caller's request with its form parameters replaced (the query string dropped: all of it goes in the body). */
    static AwsRequest withParams(AwsRequest caller, Map<String, String> params) {
        Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(caller.headers());
        headers.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
        return new AwsRequest(caller.method().equals("GET") ? "POST" : caller.method(), caller.path(), null, headers,
                AwsRequest.encodeForm(params).getBytes(StandardCharsets.UTF_8),
                caller.service(), caller.operation(), caller.protocol());
    }

    static GatewayResponse ok(String body) {
        return GatewayResponse.xml(200, body);
    }

    static String requestId() { return UUID.randomUUID().toString(); }
}
