# Sourced by the benchmarks: the JDK and JVM options the launcher (./c18n) runs the platform with.
JAVA_HOME=$(./c18n java-home)
JDK_OPTS=$(./c18n java-opts)
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH" MAVEN_OPTS="${MAVEN_OPTS:-} $JDK_OPTS"
