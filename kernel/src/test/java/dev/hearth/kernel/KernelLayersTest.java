package dev.hearth.kernel;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.hearth.kernel.node.Node;

/**
 * The kernel's packages form layers: no cycle among them, the two lowest import nothing above, and
 * identity, tenancy and admin point only down.
 * The rules are checked in {@code @ArchTest} methods: surefire 3.5.3 does not run {@code @ArchTest} fields.
 */
@AnalyzeClasses(packages = "dev.hearth.kernel", importOptions = ImportOption.DoNotIncludeTests.class)
class KernelLayersTest {

  /** One slice per source package; generated protobuf classes ({@code <package>.proto}) count as their package. */
  private static final SliceAssignment PACKAGES = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass c) {
      String p = c.getPackageName();
      if (!p.startsWith("dev.hearth.kernel")) return SliceIdentifier.ignore();
      return SliceIdentifier.of(p.endsWith(".proto") ? p.substring(0, p.length() - ".proto".length()) : p);
    }

    @Override
    public String getDescription() {
      return "kernel packages";
    }
  };

  private static final ArchRule NO_PACKAGE_CYCLES = slices().assignedFrom(PACKAGES).should().beFreeOfCycles();

  @ArchTest
  void noPackageCycles(JavaClasses classes) {
    NO_PACKAGE_CYCLES.check(classes);
  }

  private static final ArchRule SPI_USES_ONLY_THE_SDK = noClasses().that().resideInAPackage("dev.hearth.kernel.spi..")
      .should().dependOnClassesThat(resideInAPackage("dev.hearth.kernel..")
          .and(not(resideInAPackage("dev.hearth.kernel.spi.."))))
      .because("what runs beside the kernel sees spi alone, so spi names nothing else of the kernel");

  @ArchTest
  void spiUsesOnlyTheSdk(JavaClasses classes) {
    SPI_USES_ONLY_THE_SDK.check(classes);
  }

  private static final ArchRule CONFIG_IS_AT_THE_BOTTOM = noClasses().that().resideInAPackage("dev.hearth.kernel.config..")
      .should().dependOnClassesThat(resideInAPackage("dev.hearth.kernel..")
          .and(not(resideInAnyPackage("dev.hearth.kernel.config..", "dev.hearth.kernel.spi.."))))
      .because("options are read by every layer, so they import none");

  @ArchTest
  void configIsAtTheBottom(JavaClasses classes) {
    CONFIG_IS_AT_THE_BOTTOM.check(classes);
  }

  /**
   * Identity (accounts, sessions, JWT) at the bottom, tenancy (orgs, projects, memberships, invites)
   * made of identity's parts, admin made of both: each names only the layers below it. What identity
   * needs of tenancy it reaches through interfaces of its own (InviteCodes, OrgSignIns) that tenancy
   * implements. Packages outside the three (the node, api, bots …) may use any of them.
   */
  private static final ArchRule IDENTITY_TENANCY_ADMIN = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("identity").definedBy("dev.hearth.kernel.identity..")
      .layer("tenancy").definedBy("dev.hearth.kernel.tenancy..")
      .layer("admin").definedBy("dev.hearth.kernel.admin..")
      .whereLayer("admin").mayNotBeAccessedByAnyLayer()
      .whereLayer("tenancy").mayOnlyBeAccessedByLayers("admin")
      .whereLayer("identity").mayOnlyBeAccessedByLayers("tenancy", "admin")
      .because("accounts and sessions are the bottom of identity, tenancy and admin: identity names nothing of "
          + "tenancy or admin, tenancy nothing of admin");

  @ArchTest
  void identityTenancyAdminPointDown(JavaClasses classes) {
    IDENTITY_TENANCY_ADMIN.check(classes);
  }

  private static final ArchRule NO_COMMAND_LINE = noClasses().that().resideInAPackage("dev.hearth.kernel..")
      .should().dependOnClassesThat(resideInAnyPackage("dev.hearth.cli..", "picocli.."))
      .because("the hearth command is the cli module, a client of the kernel; the kernel serves without it");

  @ArchTest
  void kernelKnowsNoCommandLine(JavaClasses classes) {
    NO_COMMAND_LINE.check(classes);
  }

  private static final ArchRule NODE_SHOWS_ITS_LIFE_CYCLE = methods().that().areDeclaredIn(Node.class).and().arePublic()
      .should().haveNameMatching("start|port|isReady|beginShutdown|close")
      .because("a node's parts are not API: extensions get a NodeContext, tests and the ops tools NodeInternals");

  @ArchTest
  void nodeShowsOnlyItsLifeCycle(JavaClasses classes) {
    NODE_SHOWS_ITS_LIFE_CYCLE.check(classes);
  }

  private static final ArchRule NODE_IS_THE_TOP = noClasses().that().resideInAPackage("dev.hearth.kernel..")
      .and().resideOutsideOfPackage("dev.hearth.kernel.node..")
      .should().dependOnClassesThat(resideInAPackage("dev.hearth.kernel.node.."))
      .because("node assembles the kernel by constructors: every other package is below it and names nothing of it");

  @ArchTest
  void nodeIsTheTopLayer(JavaClasses classes) {
    NODE_IS_THE_TOP.check(classes);
  }
}
