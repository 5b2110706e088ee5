package org.decency.checks.spf;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.FinalWord;
import org.decency.core.IpAddress;
import org.decency.core.MailAddress;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;

/**
 * SPF (RFC 7208): may the client send for the MAIL FROM domain? A bounce (no sender)
 * is checked for its HELO name, as the seeds do. With {@code check_helo} the HELO identity
 * is checked first and a fail there decides. Each result adds its configured score;
 * {@code pass} flags {@code spf_pass}, every other result but {@code none} flags
 * {@code spf_nopass}. With {@code reject_on_fail} a fail answers REJECT with the SPF
 * explanation. Mail from this machine (loopback) is never checked, even when forced.
 */
public final class SpfCheck implements Check {
    public static final String FLAG_PASS = "spf_pass";
    public static final String FLAG_NOPASS = "spf_nopass";
    private static final Set<Stage> STAGES = EnumSet.of(Stage.HELO, Stage.MAIL, Stage.RCPT);

    private final String name;
    private final SpfConfig config;
    private final SpfEvaluator evaluator;

    public SpfCheck(String name, SpfConfig config, SpfEvaluator evaluator) {
        this.name = name;
        this.config = config;
        this.evaluator = evaluator;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Stage> stages() {
        return STAGES;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public String cacheKey(Transaction tx) {
        return tx.clientAddress() + "|" + tx.sender().raw() + "|" + tx.connection().helo().strip();
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) {
        IpAddress ip = tx.connection().ip();
        if (ip == null || ip.isLoopback()) return Outcome.nothing();
        String helo = tx.connection().helo().strip();
        MailAddress sender = tx.sender();
        if (sender.isNull()) {
            if (helo.isEmpty()) return Outcome.nothing();
            return outcome(SpfRequest.helo(ip, helo), sender);
        }
        if (config.checkHelo() && !helo.isEmpty()) {
            SpfRequest heloRequest = SpfRequest.helo(ip, helo);
            SpfVerdict v = evaluator.evaluate(heloRequest);
            if (v.result() == SpfResult.FAIL) return outcome(heloRequest, v, sender);
        }
        return outcome(new SpfRequest(ip, sender.localPart(), sender.domain(), helo, SpfIdentity.MAIL_FROM), sender);
    }

    private Outcome outcome(SpfRequest request, MailAddress sender) {
        return outcome(request, evaluator.evaluate(request), sender);
    }

    private Outcome outcome(SpfRequest request, SpfVerdict v, MailAddress sender) {
        String header = ReceivedSpf.header(v, request, sender.raw(), evaluator.receiver());
        String result = v.byDefault() ? "neutral-by-default" : v.result().word();
        Score score = new Score(name, config.weight(v), "Result: " + result + "; Header: " + header);
        List<String> flags = new ArrayList<>(1);
        String message = "";
        if (v.result() == SpfResult.PASS) {
            flags.add(FLAG_PASS);
        } else if (v.result() != SpfResult.NONE) {
            flags.add(FLAG_NOPASS);
            message = "IP not on SPF Record for " + ReceivedSpf.printable(request.startDomain());
        }
        FinalWord word = v.result() == SpfResult.FAIL && config.rejectOnFail() ? FinalWord.reject(rejectText(request, v)) : null;
        Outcome o = new Outcome(List.of(score), message, flags, word);
        // a temperror (DNS timeout or failure) may pass on the next try: never reuse it
        return v.result() == SpfResult.TEMPERROR ? o.asTemporary() : o;
    }

    /** As RFC 7208 §8.4 suggests: the domain's own explanation is marked as coming from it. */
    private static String rejectText(SpfRequest request, SpfVerdict v) {
        String check = "SPF " + request.identity().command() + " check failed: ";
        String text = v.domainExplains()
                ? check + "The domain " + request.startDomain() + " explains: " + v.explanation()
                : check + v.explanation();
        return ReceivedSpf.printable(text);
    }
}
