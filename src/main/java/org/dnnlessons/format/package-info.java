/**
 * Text formats shared by the lessons and the command line: {@link
 * org.dnnlessons.format.NumpyFormat} prints arrays exactly as numpy prints them, so Java output can
 * be compared with the Python notebook's line by line.
 */
package org.dnnlessons.format;
