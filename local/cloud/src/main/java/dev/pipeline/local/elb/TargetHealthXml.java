package dev.pipeline.local.elb;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads and rewrites moto's DescribeTargetHealth answer (query protocol XML): the targets moto lists, and each
 * one's TargetHealth replaced by what the local load balancer knows, or the target dropped. Pure.
 */
final class TargetHealthXml {
    private TargetHealthXml() {}

    /** A target as listed: its Id and Port (0 when moto gave none). */
    record Member(String id, int port) {}

    /** Returned by a rewrite function: leave this target out of the answer. */
    static final LoadBalancers.Health REMOVE = new LoadBalancers.Health("(removed)", null, null);

    static List<Member> members(String xml) {
        List<Member> out = new ArrayList<>();
        for (Element m : members(parse(xml))) {
            Member x = member(m);
            if (x != null) out.add(x);
        }
        return out;
    }

    /** The answer with each target's health as {@code health} says (empty: as moto said; {@link #REMOVE}: dropped). */
    static String rewrite(String xml, Function<Member, Optional<LoadBalancers.Health>> health) {
        Document doc = parse(xml);
        for (Element m : members(doc)) {
            Member x = member(m);
            if (x == null) continue;
            Optional<LoadBalancers.Health> h = health.apply(x);
            if (h.isEmpty()) continue;
            if (h.get() == REMOVE) m.getParentNode().removeChild(m);
            else setHealth(doc, m, h.get());
        }
        return serialize(doc);
    }

    private static Member member(Element m) {
        Element target = child(m, "Target");
        if (target == null) return null;
        String id = text(child(target, "Id"));
        if (id == null) return null;
        String port = text(child(target, "Port"));
        int p = 0;
        try {
            if (port != null) p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = 0;
        }
        return new Member(id, p);
    }

    private static void setHealth(Document doc, Element member, LoadBalancers.Health h) {
        Element old = child(member, "TargetHealth");
        String ns = member.getNamespaceURI();
        Element health = doc.createElementNS(ns, "TargetHealth");
        for (String[] kv : new String[][]{{"State", h.state()}, {"Reason", h.reason()}, {"Description", h.description()}}) {
            if (kv[1] == null) continue; // healthy: "a reason code is not provided", nor a description
            Element e = doc.createElementNS(ns, kv[0]);
            e.setTextContent(kv[1]);
            health.appendChild(e);
        }
        if (old != null) member.replaceChild(health, old);
        else member.appendChild(health);
    }

    private static List<Element> members(Document doc) {
        List<Element> out = new ArrayList<>();
        var lists = doc.getElementsByTagNameNS("*", "TargetHealthDescriptions");
        for (int i = 0; i < lists.getLength(); i++) {
            for (Node n = lists.item(i).getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && "member".equals(e.getLocalName())) out.add(e);
            }
        }
        return out;
    }

    private static Element child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) return e;
        }
        return null;
    }

    private static String text(Element e) { return e == null ? null : e.getTextContent().trim(); }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new IllegalStateException("unreadable DescribeTargetHealth answer from moto: " + e.getMessage(), e);
        }
    }

    private static String serialize(Document doc) {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (Exception e) {
            throw new IllegalStateException("could not write the DescribeTargetHealth answer: " + e.getMessage(), e);
        }
    }
}
