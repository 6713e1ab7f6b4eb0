# Writes modelgate(1): `MODELGATE help --man` into OUT (cmake -DMODELGATE=... -DOUT=...
# -P cmake/man.cmake), failing the build when the binary fails.
execute_process(COMMAND ${MODELGATE} help --man OUTPUT_FILE ${OUT}.tmp
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${MODELGATE} help --man: ${rc}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
