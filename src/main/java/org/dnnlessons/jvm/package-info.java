/**
 * What the running JVM needs to start the project's own JVMs (the Jupyter kernel, benchmark
 * children) and the CLI without JVM warnings a user did not cause, on JDK 17 to 25.
 */
package org.dnnlessons.jvm;
