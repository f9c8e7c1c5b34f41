package dev.presence;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.library.dependencies.Slice;
import com.tngtech.archunit.library.dependencies.Slices;
import dev.presence.cluster.ClusterNames;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The layout of ENGINEERING.md ("Layout: package by feature, Hazelcast behind ports") as rules, so a change
 * that quietly breaks it fails the build instead of a review. Checks the compiled main classes only (bytecode:
 * a compile-time constant such as {@link ClusterNames#EVENTS_ADDRESS} is inlined by javac and leaves no
 * dependency behind; a use of anything else does).
 */
@AnalyzeClasses(packages = "dev.presence", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  // Every rule is an @ArchTest method that calls check(), not an @ArchTest ArchRule field: Surefire 3.5.3 (this
  // build's) runs no @ArchTest field and reports nothing about it (TNG/ArchUnit#1442, fixed in Surefire 3.5.4),
  // so a field rule would pass by never running. Seen here: 1 test run of 6.

  /** Feature slices: the first package below {@code dev.presence}. */
  private static final String FEATURE_SLICES = "dev.presence.(*)..";

  /**
   * State and decision types that are pure without a {@code *Policy} or {@code *Tracker} name (HeartbeatPolicy
   * has one).
   */
  private static final List<String> PURE_TYPES = List.of(
      "dev.presence.session.SessionState",
      "dev.presence.session.LeaveReason",
      "dev.presence.session.TokenBucket",
      "dev.presence.session.MessageRateGuard",
      "dev.presence.session.UserIds",
      "dev.presence.nickname.NickLease",
      "dev.presence.nickname.NicknameRules",
      "dev.presence.nickname.CombiningMarks",
      "dev.presence.nickname.Confusables",
      "dev.presence.address.ClientAddress",
      "dev.presence.address.AddressBlock",
      "dev.presence.address.ForwardedHeader",
      "dev.presence.address.ForwardedHops");

  /** A pure class, or a class nested in one (its enum of outcomes, a record it returns, an anonymous class). */
  private static final DescribedPredicate<JavaClass> PURE = DescribedPredicate.describe(
      "are pure (named *Policy or *Tracker, or one of " + PURE_TYPES + ", or nested in one of those)",
      ArchitectureTest::isPureOrNestedInPure);

  @ArchTest
  static void hazelcast_only_in_cluster(JavaClasses classes) {
    noClasses()
        .that().resideOutsideOfPackage("dev.presence.cluster..")
        .should().dependOnClassesThat().resideInAPackage("com.hazelcast..")
        .because("Hazelcast sits behind ports (PresenceStore, NicknameLeaseStore, ...): cluster/ holds the only "
            + "adapters, so a Hazelcast upgrade or an in-memory test store touches one package")
        .check(classes);
  }

  @ArchTest
  static void feature_packages_are_free_of_cycles(JavaClasses classes) {
    slices()
        .matching(FEATURE_SLICES)
        .should().beFreeOfCycles()
        .because("a cycle between features means neither can change, or be tested, without the other; the "
            + "composition root (dev.presence.Main, PresenceNode) is in no slice and may depend on every feature")
        .check(classes);
  }

  /**
   * Guards the assumption of the rule above: {@code dev.presence.(*)..} matches sub-packages only, so the root
   * package's classes, which wire every feature, are not a slice and cannot close a cycle.
   */
  @ArchTest
  static void composition_root_is_in_no_slice(JavaClasses classes) {
    Set<String> slicedClassNames = new HashSet<>();
    for (Slice slice : Slices.matching(FEATURE_SLICES).transform(classes)) {
      slice.forEach(javaClass -> slicedClassNames.add(javaClass.getName()));
    }
    assertThat(slicedClassNames)
        .isNotEmpty()
        .doesNotContain(Main.class.getName(), PresenceNode.class.getName());
  }

  @ArchTest
  static void pure_classes_import_neither_vertx_nor_hazelcast(JavaClasses classes) {
    noClasses()
        .that(PURE.and(not(assignableTo("com.hazelcast.spi.merge.SplitBrainMergePolicy"))))
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "com.hazelcast..")
        .because("the pure core decides (joins and leaves, lease fates, heartbeats) with time as a parameter, "
            + "so it is tested with a manual clock and no event loop or cluster; a Hazelcast "
            + "SplitBrainMergePolicy (cluster/NickLeaseMergePolicy) is Hazelcast's SPI, named in its vocabulary, "
            + "and exempt")
        .check(classes);
  }

  @ArchTest
  static void transport_api_and_admin_use_cluster_only_for_its_names(JavaClasses classes) {
    noClasses()
        .that().resideInAnyPackage("dev.presence.transport..", "dev.presence.api..", "dev.presence.admin..")
        .should().dependOnClassesThat(
            resideInAPackage("dev.presence.cluster..").and(not(equivalentTo(ClusterNames.class))))
        .because("transport and api reach the cluster through ports and event-bus addresses; only the "
            + "addresses (ClusterNames) are shared, so the Hazelcast adapters can change behind them")
        .check(classes);
  }

  @ArchTest
  static void only_config_reads_environment_variables(JavaClasses classes) {
    noClasses()
        .that().resideOutsideOfPackage("dev.presence.config..")
        .should().accessTargetWhere(target(owner(equivalentTo(System.class))).and(target(name("getenv"))))
        .because("configuration is read and validated once, at start, in config/; a variable read elsewhere "
            + "escapes validation, the documented list of settings, and the tests that set them")
        .check(classes);
  }

  @ArchTest
  static void client_addresses_are_parsed_without_name_lookups(JavaClasses classes) {
    noClasses()
        .that().resideInAPackage("dev.presence.address..")
        .should().dependOnClassesThat().areAssignableTo(java.net.InetAddress.class)
        .orShould().dependOnClassesThat().areAssignableTo(java.net.InetSocketAddress.class)
        .because("an address in a PROXY or forwarding header is client input: InetAddress.getByName and "
            + "new InetSocketAddress(host, port) resolve a name through DNS, so a header could make the node wait on "
            + "(and reveal itself to) an attacker's name server; address/ parses literals only")
        .check(classes);
  }

  private static boolean isPureOrNestedInPure(JavaClass javaClass) {
    for (Optional<JavaClass> c = Optional.of(javaClass); c.isPresent(); c = c.get().getEnclosingClass()) {
      String simpleName = c.get().getSimpleName();
      if (simpleName.endsWith("Policy") || simpleName.endsWith("Tracker") || PURE_TYPES.contains(c.get().getName())) {
        return true;
      }
    }
    return false;
  }
}
