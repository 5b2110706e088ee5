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
        return (context, failure) -> {
            PostfixInstance p = postfix.get();
            if (p == null) throw failure;
            String what = failure instanceof AssertionError ? failure.getMessage() : failure.toString();
            String more = extra.get();
            AssertionError withLog = new AssertionError(what + "\n\n" + (more.isEmpty() ? "" : more + "\n\n") + p.maillogTail(lines));
            withLog.setStackTrace(failure.getStackTrace());
            throw withLog;
        };
    }

    static TestExecutionExceptionHandler of(Supplier<PostfixInstance> postfix, int lines) {
        return of(postfix, lines, () -> "");
    }
}
