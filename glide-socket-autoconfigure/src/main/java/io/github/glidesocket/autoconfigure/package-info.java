/**
 * Spring Boot auto-configuration of glide-socket: the socket manager, its lifecycle,
 * configuration properties and injectable socket references.
 */
@NullMarked
package io.github.glidesocket.autoconfigure;

import org.jspecify.annotations.NullMarked;
