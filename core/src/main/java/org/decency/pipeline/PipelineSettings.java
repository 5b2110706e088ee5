package org.decency.pipeline;

import java.util.List;
import org.decency.config.ConfigNode;
import org.decency.core.Cidr;

/**
 * The server-wide scoring options of the seeds.
 *
 * @param threshold          {@code weight_threshold} (alias {@code spam_threshold}): a total at or below it is spam
 * @param forceCheckLocal    check mail from 127.0.0.0/8 and ::1 too (otherwise it passes unchecked);
 *                           {@code force_check_local: 1}, or the 0.1.x form {@code pass_localhost: 0}
 * @param ignoreIps          clients that always pass unchecked
 * @param recipientDelimiter {@code +} makes {@code user+ext@dom} count as {@code user@dom}
 */
public record PipelineSettings(double threshold, boolean forceCheckLocal, List<Cidr> ignoreIps,
                               String defaultRejectMessage, boolean noRejectDetail,
                               boolean noSessionIdentifier, String recipientDelimiter) {

    public static final double DEFAULT_THRESHOLD = -100;

    public static PipelineSettings defaults() {
        return new PipelineSettings(DEFAULT_THRESHOLD, false, List.of(), "use decency", false, false, "");
    }

    /** One address or network, a list of them, or the seeds' hash form (the keys count). */
    private static List<Cidr> networks(ConfigNode n) {
        List<ConfigNode> items = n.isMapping() ? List.copyOf(n.mapping().values()) : n.isScalar() ? List.of(n) : n.asList();
        List<String> texts = n.isMapping() ? List.copyOf(n.mapping().keySet()) : items.stream().map(ConfigNode::text).toList();
        List<Cidr> out = new java.util.ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            ConfigNode where = items.get(i);
            out.add(Cidr.parse(t).orElseThrow(() -> where.error("expected an IP address or CIDR network, got \"" + t + "\"")));
        }
        return out;
    }

    public static PipelineSettings read(ConfigNode root) {
        double threshold = root.child("weight_threshold", "spam_threshold")
                .map(ConfigNode::asNumber).orElse(DEFAULT_THRESHOLD);
        // pass_localhost is the 0.1.x switch with the opposite sense; force_check_local wins when both are set.
        var forceNode = root.child("force_check_local");
        var passNode = root.child("pass_localhost");
        boolean force = forceNode.map(ConfigNode::asBool).or(() -> passNode.map(n -> !n.asBool())).orElse(false);
        List<Cidr> ignore = root.child("ignore_ips").map(PipelineSettings::networks).orElse(List.of());
        return new PipelineSettings(threshold, force, ignore,
                root.string("default_reject_message", "use decency"),
                root.bool("no_reject_detail", false),
                root.bool("no_session_identifier", false),
                root.string("recipient_delimiter", ""));
    }
}
