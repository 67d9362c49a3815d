/**
 * Reactor Netty serving the application's HTTP on the glide-socket managed web socket.
 */
@NullMarked
package io.github.glidesocket.autoconfigure.web.netty;

import org.jspecify.annotations.NullMarked;
