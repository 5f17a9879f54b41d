# Sourced by the benchmarks: the JDK and JVM options the launcher (./c18n) runs the platform with.
JAVA_HOME=$(./c18n java-home)
JDK_OPTS="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
