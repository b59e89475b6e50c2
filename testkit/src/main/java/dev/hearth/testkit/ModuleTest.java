package dev.hearth.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declares the node a module's IT needs: a {@link ModuleNode} parameter of a test, {@code @BeforeEach}
 * or {@code @BeforeAll} method is a node in a temp folder with the module {@link #artifactId} (its jar
 * in {@code target}) installed. One per test; one per class when a {@code @BeforeAll} method takes it.
 * Closed, and its folder deleted, when its test (or class) ends.
 *
 * <pre>{@code
 * @ModuleTest(artifactId = "hearth-module-hello", protos = HelloProto.class)
 * class HelloModuleIT {
 *   @Test void greets(ModuleNode hello) throws Exception { ... hello.call("Greet", ...) ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ModuleNodeExtension.class)
public @interface ModuleTest {

  /** The module's Maven artifactId, e.g. {@code hearth-module-chat}. */
  String artifactId();

  /** Generated proto classes (e.g. {@code ChatProto.class}) whose services {@link ModuleNode#call} finds methods in. */
  Class<?>[] protos() default {};

  /** The node's {@code moduleConfig} section as JSON, e.g. {@code {"video": {"sfu": ...}}}; none when empty. */
  String moduleConfig() default "";
}
