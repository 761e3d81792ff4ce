package org.dnnlessons.lessons;

/**
 * Every runnable lesson: its command name (each lesson's {@code COMMAND}, the one place it is
 * written), the notebook section it ports and its class. {@code dnn-lessons lesson --list} prints
 * this table.
 */
public enum LessonCatalog {
  RELU(ReluQuiz.COMMAND, "TensorFlow ReLUs: Quiz", ReluQuiz.class),
  MLP(MlpLesson.COMMAND, "Deep Neural Network in TensorFlow (and Deeper)", MlpLesson.class),
  SAVE_VARIABLES(SaveVariables.COMMAND, "Save and Restore: Saving Variables", SaveVariables.class),
  LOAD_VARIABLES(LoadVariables.COMMAND, "Save and Restore: Loading Variables", LoadVariables.class),
  SAVE_TRAINED(SaveTrainedModel.COMMAND, "Save a Trained Model", SaveTrainedModel.class),
  LOAD_TRAINED(LoadTrainedModel.COMMAND, "Load a Trained Model", LoadTrainedModel.class),
  NAMING_ERROR(NamingError.COMMAND, "Loading into a New Model: Naming Error", NamingError.class),
  NAMING_FIX(NamingFix.COMMAND, "Loading into a New Model: explicit names", NamingFix.class),
  DROPOUT(DropoutQuiz.COMMAND, "TensorFlow Dropout: Quiz", DropoutQuiz.class);

  private final String command;
  private final String section;
  private final Class<?> lessonClass;

  LessonCatalog(String command, String section, Class<?> lessonClass) {
    this.command = command;
    this.section = section;
    this.lessonClass = lessonClass;
  }

  /**
   * The name used in {@code dnn-lessons lesson NAME}.
   *
   * @return e.g. {@code mlp}, {@code save-variables}
   */
  public String command() {
    return command;
  }

  /**
   * The notebook section the lesson ports.
   *
   * @return the section's title in the lesson text
   */
  public String section() {
    return section;
  }

  /**
   * The class holding the lesson's {@code run} method.
   *
   * @return the class with {@code main} and {@code run(Options, PrintStream)}
   */
  public Class<?> lessonClass() {
    return lessonClass;
  }
}
