/**
 * Text formats shared by the lessons and the command line: {@link
 * org.dnnlessons.format.NumpyFormat} prints arrays exactly as numpy prints them, {@link
 * org.dnnlessons.format.PythonBytes} bytes as Python's {@code repr} does, {@link
 * org.dnnlessons.format.PythonFloat} numbers as Python's {@code '%.6f'} does (non-finite values as
 * {@code nan}, {@code inf}, {@code -inf}), so Java output can be compared with the Python
 * notebook's line by line.
 */
package org.dnnlessons.format;
