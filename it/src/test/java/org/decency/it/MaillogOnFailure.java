package org.decency.it;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/** Adds the end of Postfix's maillog (and what else the test knows) to a failing test's message. */
final class MaillogOnFailure {
    private MaillogOnFailure() {}

    /**
     * @param postfix the test's instance (null while none runs: the failure is left as it is)
     * @param extra   more to show before the maillog (e.g. the DNS questions asked); empty for nothing
     */
    static TestExecutionExceptionHandler of(Supplier<PostfixInstance> postfix, int lines, Supplier<String> extra) {
        return showing(() -> {
            PostfixInstance p = postfix.get();
            if (p == null) return "";
            String more = extra.get();
            return (more.isEmpty() ? "" : more + "\n\n") + p.maillogTail(lines);
        });
    }

    static TestExecutionExceptionHandler of(Supplier<PostfixInstance> postfix, int lines) {
        return of(postfix, lines, () -> "");
    }

    /**
     * Adds what {@code report} tells (e.g. the output of the servers a test started) to a
     * failing test's message; an empty report leaves the failure as it is.
     */
    static TestExecutionExceptionHandler showing(Supplier<String> report) {
        return (context, failure) -> {
            String text = report.get();
            if (text.isEmpty()) throw failure;
            String what = failure instanceof AssertionError ? failure.getMessage() : failure.toString();
            AssertionError withReport = new AssertionError(what + "\n\n" + text);
            withReport.setStackTrace(failure.getStackTrace());
            throw withReport;
        };
    }
}
