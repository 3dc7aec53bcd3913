@echo off
rem The kata's starter on Windows: the same Java as ./kata (launcher\boot\kata\boot\KataBoot.java), with nothing but a JDK 17+.
set "KATA_JAVA=java"
if defined JAVA_HOME set "KATA_JAVA=%JAVA_HOME%\bin\java"
"%KATA_JAVA%" "%~dp0launcher\boot\kata\boot\KataBoot.java" "%~dp0." %*
