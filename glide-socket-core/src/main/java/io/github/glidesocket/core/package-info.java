/**
 * Reference-counted Unix-domain-socket listeners, usable from plain Java: the socket file
 * exists exactly as long as someone holds a {@link io.github.glidesocket.core.SocketReference}.
 * This package has no Spring dependencies.
 */
@NullMarked
package io.github.glidesocket.core;

import org.jspecify.annotations.NullMarked;
