package io.github.glidesocket.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Selects the configured socket that an injected {@link io.github.glidesocket.core.SocketReference}
 * refers to: {@code "default"} (the socket of {@code glide.socket.path}, also used when the
 * annotation is absent) or the name of a {@code glide.socket.sockets.<name>} entry.
 * <p>
 * It is a Spring {@link Qualifier}: it works wherever Spring resolves qualifiers, such as
 * constructor and {@code @Bean} method parameters, fields, setter methods and
 * {@code ObjectProvider<SocketReference>} injection points. On a {@code @Bean} method itself
 * it qualifies the bean the method defines: a {@code SocketReference} bean so annotated replaces
 * that socket's injected references.
 * <pre class="code">
 * &#64;Component
 * class AdminClient {
 *
 *     private final SocketReference socket;
 *
 *     AdminClient(&#64;GlideSocket("admin") SocketReference socket) {
 *         this.socket = socket;
 *     }
 *
 * }
 * </pre>
 * Each injection point receives its own reference; on a socket with a {@code pool-size} above 1,
 * a reference to the member with the fewest references. It is closed when the bean that holds it
 * in a field is destroyed; see {@link GlideSocketAutoConfiguration} for the details.
 */
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface GlideSocket {

	/**
	 * The name of the configured socket.
	 * @return the socket name
	 */
	String value() default ConfiguredSockets.DEFAULT;

}
