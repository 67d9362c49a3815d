/**
 * Auto-configuration of the glide-socket health indicator.
 */
@NullMarked
package io.github.glidesocket.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
