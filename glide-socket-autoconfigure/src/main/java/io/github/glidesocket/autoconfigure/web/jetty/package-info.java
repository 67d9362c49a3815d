/**
 * Jetty serving the application's HTTP on a glide-socket managed socket: a connector that is
 * handed the socket's admitted connections, and the customizers that install it.
 */
@NullMarked
package io.github.glidesocket.autoconfigure.web.jetty;

import org.jspecify.annotations.NullMarked;
