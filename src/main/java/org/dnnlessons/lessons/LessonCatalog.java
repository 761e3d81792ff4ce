package org.dnnlessons.lessons;

/**
 * Every runnable lesson: its command name (each lesson's {@code COMMAND}, the one place it is
 * written), the notebook section it ports and its class. {@code dnn-lessons lesson --list} prints
 * this table.
 */
public enum LessonCatalog {
  /** {@code lesson relu}: ReLU on a fixed two-layer quiz network, {@link ReluQuiz}. */
  RELU(ReluQuiz.COMMAND, "TensorFlow ReLUs: Quiz", ReluQuiz.class),
  /** {@code lesson mlp}: train and test the lesson's multilayer perceptron, {@link MlpLesson}. */
  MLP(MlpLesson.COMMAND, "Deep Neural Network in TensorFlow (and Deeper)", MlpLesson.class),
  /**
   * {@code lesson save-variables}: save two variables to {@code model.ckpt}, {@link SaveVariables}.
   */
  SAVE_VARIABLES(SaveVariables.COMMAND, "Save and Restore: Saving Variables", SaveVariables.class),
  /** {@code lesson load-variables}: restore them, {@link LoadVariables}. */
  LOAD_VARIABLES(LoadVariables.COMMAND, "Save and Restore: Loading Variables", LoadVariables.class),
  /**
   * {@code lesson save-trained}: train the single-layer model and save it, {@link
   * SaveTrainedModel}.
   */
  SAVE_TRAINED(SaveTrainedModel.COMMAND, "Save a Trained Model", SaveTrainedModel.class),
  /**
   * {@code lesson load-trained}: restore it and print its test accuracy, {@link LoadTrainedModel}.
   */
  LOAD_TRAINED(LoadTrainedModel.COMMAND, "Load a Trained Model", LoadTrainedModel.class),
  /** {@code lesson naming-error}: the shape mismatch of automatic names, {@link NamingError}. */
  NAMING_ERROR(NamingError.COMMAND, "Loading into a New Model: Naming Error", NamingError.class),
  /** {@code lesson naming-fix}: the same with explicit names, {@link NamingFix}. */
  NAMING_FIX(NamingFix.COMMAND, "Loading into a New Model: explicit names", NamingFix.class),
  /** {@code lesson dropout}: dropout on the quiz network, {@link DropoutQuiz}. */
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
