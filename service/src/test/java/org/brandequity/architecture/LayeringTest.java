package org.brandequity.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.brandequity.topology.PipelineStores;
import picocli.CommandLine.Command;

/**
 * The layering of docs/architecture.md, checked on the production classes of every module on this
 * classpath (schemas, topology, service): the topology module's packages below the service's, no
 * cycles between packages, the model free of Kafka, ingestion and queries apart, queries reading
 * state through {@link PipelineStores} only, and the command line the only place that knows every command.
 */
@AnalyzeClasses(packages = "org.brandequity",
        importOptions = {ImportOption.DoNotIncludeTests.class, LayeringTest.DoNotIncludeTestJars.class})
class LayeringTest {
    /** The packages of the topology module (and the generated records of schemas, which it builds on). */
    private static final String[] TOPOLOGY_MODULE = {"org.brandequity.avro..", "org.brandequity.model..",
            "org.brandequity.config..", "org.brandequity.wire..", "org.brandequity.topology.."};
    /** The packages of the service module. */
    private static final String[] SERVICE_MODULE = {"org.brandequity.cli..", "org.brandequity.command..",
            "org.brandequity.runtime..", "org.brandequity.query..", "org.brandequity.metrics..",
            "org.brandequity.cluster..", "org.brandequity.http..", "org.brandequity.ingest.."};

    /** Test classes packed in another module's test-jar (the topology's fixtures) are not production code. */
    static final class DoNotIncludeTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.matches(java.util.regex.Pattern.compile(".*-tests\\.jar.*"));
        }
    }

    @ArchTest
    static final ArchRule packagesFormNoCycles = slices().matching("org.brandequity.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theModelDependsOnNoKafka = noClasses().that().resideInAPackage("org.brandequity.model..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..");

    @ArchTest
    static final ArchRule theModelDependsOnNothingOfTheProjectButTheRecords = noClasses()
            .that().resideInAPackage("org.brandequity.model..")
            .should().dependOnClassesThat(resideInAPackage("org.brandequity..")
                    .and(not(resideInAnyPackage("org.brandequity.model..", "org.brandequity.avro.."))));

    @ArchTest
    static final ArchRule ingestionNeverDependsOnQueries = noClasses().that().resideInAPackage("org.brandequity.ingest..")
            .should().dependOnClassesThat().resideInAPackage("org.brandequity.query..");

    @ArchTest
    static final ArchRule queriesNeverDependOnIngestion = noClasses().that().resideInAPackage("org.brandequity.query..")
            .should().dependOnClassesThat().resideInAPackage("org.brandequity.ingest..");

    @ArchTest
    static final ArchRule queriesReadStateOnlyThroughTheTopologysFacade = noClasses()
            .that().resideInAPackage("org.brandequity.query..")
            .should().dependOnClassesThat(resideInAPackage("org.brandequity.avro.internal..")
                    .or(resideInAPackage("org.brandequity.topology..")
                            .and(not(belongToAnyOf(PipelineStores.class)))));

    @ArchTest
    static final ArchRule onlyTheCliKnowsEveryCommand = classes().that().resideOutsideOfPackage("org.brandequity.cli..")
            .should(notDependOnCommandsOfOtherPackages());

    @ArchTest
    static final ArchRule theTopologyModuleNeverDependsOnTheService = noClasses().that().resideInAnyPackage(TOPOLOGY_MODULE)
            .should().dependOnClassesThat().resideInAnyPackage(SERVICE_MODULE);

    /** A picocli {@code @Command} class (or one nested in it) of a package other than the dependent's. */
    private static ArchCondition<JavaClass> notDependOnCommandsOfOtherPackages() {
        return new ArchCondition<>("not depend on the @Command classes of other packages") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass();
                    if (isCommand(target) && !target.getPackageName().equals(origin.getPackageName())) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
    }

    private static boolean isCommand(JavaClass c) {
        for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
            if (k.isAnnotatedWith(Command.class)) return true;
        }
        return false;
    }
}
