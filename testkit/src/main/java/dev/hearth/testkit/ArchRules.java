package dev.hearth.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import dev.hearth.kernel.node.Node;
import dev.hearth.kernel.node.NodeInternals;
import java.util.Set;

/**
 * Package rules other Maven modules check in their own tests (ArchUnit), so a rule is written once.
 * Check them from an {@code @ArchTest} method ({@code RULE.check(classes)}): surefire 3.5.3 does not
 * run {@code @ArchTest} fields.
 */
public final class ArchRules {

  private ArchRules() {}

  /** What code beside the kernel may call on a {@link Node}: its life cycle. */
  public static final Set<String> NODE_LIFE_CYCLE = Set.of("start", "port", "isReady", "beginShutdown", "close");

  /**
   * Code outside the kernel (the {@code hearth} command, tools) runs a {@link Node} by its life cycle
   * alone, and never reaches into it through {@link NodeInternals}, which is for the test kit and the
   * ops tools. Extensions (federation, cluster) see no {@code Node} at all: their rule is spi-only.
   */
  public static ArchRule nodeThroughItsLifeCycle() {
    DescribedPredicate<JavaMethodCall> pastLifeCycle = DescribedPredicate.describe(
        "a method of Node other than " + NODE_LIFE_CYCLE,
        call -> call.getTargetOwner().isEquivalentTo(Node.class) && !NODE_LIFE_CYCLE.contains(call.getName()));
    return CompositeArchRule
        .of(noClasses().that().resideOutsideOfPackage("dev.hearth.kernel..").should().callMethodWhere(pastLifeCycle))
        .and(noClasses().should().dependOnClassesThat().belongToAnyOf(NodeInternals.class))
        .because("a node's parts are not API: what runs beside the kernel gets a NodeContext (dev.hearth.kernel.spi)");
  }

  /** A module's code (PF4J plugins, the example) uses the SDK, never the kernel. */
  public static ArchRule pluginNeverUsesTheKernel() {
    return noClasses().should().dependOnClassesThat().resideInAPackage("dev.hearth.kernel..")
        .because("a module compiles against the SDK alone; what it needs of the node comes through ModuleContext");
  }
}
