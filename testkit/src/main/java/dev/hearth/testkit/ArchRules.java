package dev.hearth.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;

/**
 * Package rules other Maven modules check in their own tests (ArchUnit), so a rule is written once.
 * Check them from an {@code @ArchTest} method ({@code RULE.check(classes)}): surefire 3.5.3 does not
 * run {@code @ArchTest} fields.
 */
public final class ArchRules {

  private ArchRules() {}

  /** A module's code (PF4J plugins, the example) uses the SDK, never the kernel. */
  public static ArchRule pluginNeverUsesTheKernel() {
    return noClasses().should().dependOnClassesThat().resideInAPackage("dev.hearth.kernel..")
        .because("a module compiles against the SDK alone; what it needs of the node comes through ModuleContext");
  }
}
