package dev.pipeline.local.refresh;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Corrects moto's DescribeTargetHealth answer. moto says every registered running instance is healthy, and
 * keeps saying so after the instance is terminated. Here: instances of an image the health model marks
 * unhealthy become {@code unhealthy / Target.FailedHealthChecks}; terminated instances disappear from a
 * listing of the whole group (AWS drains, then drops them) and read {@code unused / Target.InvalidState}
 * when asked for by ID. Pure: the instance facts come in as a map.
 */
final class TargetHealthRewriter {
    private TargetHealthRewriter() {}

    /** Instance IDs (i-...) of the targets in a DescribeTargetHealth answer. */
    static Set<String> instanceIds(String xml) {
        Set<String> ids = new LinkedHashSet<>();
        for (Element member : members(parse(xml))) {
            String id = targetId(member);
            if (id != null && id.startsWith("i-")) ids.add(id);
        }
        return ids;
    }

    /**
     * The answer with health corrected.
     *
     * @param explicitTargets whether the request named its Targets (then every named target stays listed)
     * @param facts           what EC2 says of each instance target; instances moto forgot are left as moto said
     */
    static String rewrite(String xml, boolean explicitTargets, Map<String, MotoAutoScaling.InstanceFacts> facts,
                          Predicate<String> unhealthyImage) {
        Document doc = parse(xml);
        for (Element member : members(doc)) {
            MotoAutoScaling.InstanceFacts f = facts.get(targetId(member));
            if (f == null) continue;
            Element health = child(member, "TargetHealth");
            String state = health == null ? null : text(child(health, "State"));
            if (f.gone()) {
                if (explicitTargets) {
                    // the documented reason for a target "in the stopped or terminated state"
                    setHealth(doc, member, "unused", "Target.InvalidState", "Target is in the terminated state");
                } else {
                    member.getParentNode().removeChild(member);
                }
            } else if ("healthy".equals(state) && unhealthyImage.test(f.imageId())) {
                // description text not confirmed against AWS; state and reason code are from the API reference
                setHealth(doc, member, "unhealthy", "Target.FailedHealthChecks", "Health checks failed");
            }
        }
        return serialize(doc);
    }

    private static void setHealth(Document doc, Element member, String state, String reason, String description) {
        Element old = child(member, "TargetHealth");
        String ns = member.getNamespaceURI();
        Element health = doc.createElementNS(ns, "TargetHealth");
        for (String[] kv : new String[][]{{"State", state}, {"Reason", reason}, {"Description", description}}) {
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

    private static String targetId(Element member) {
        Element target = child(member, "Target");
        return target == null ? null : text(child(target, "Id"));
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
