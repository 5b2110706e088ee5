package org.decency.checks.plausibility;

/**
 * Module {@code PolicydWeight}: the Plausibility check under the name the seeds' plans
 * used; the same settings and score codes.
 */
public final class PolicydWeightFactory extends PlausibilityFactory {

    @Override
    public String moduleName() {
        return "PolicydWeight";
    }
}
