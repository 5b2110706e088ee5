package org.decency.doorman;

import java.util.Map;

/**
 * One decoded policy request: Postfix's {@code name=value} attributes, or, when the
 * input was broken beyond use, the reason ({@code problem}) and whether the
 * connection must be closed after answering.
 */
record PolicyRequest(Map<String, String> attributes, String problem, boolean closeAfterReply) {

    static PolicyRequest of(Map<String, String> attributes) {
        return new PolicyRequest(attributes, null, false);
    }

    static PolicyRequest broken(String problem, boolean close) {
        return new PolicyRequest(Map.of(), problem, close);
    }

    boolean isBroken() {
        return problem != null;
    }
}
