# Run at build time (bench/CMakeLists.txt): the man pages and the bash
# completion, from the built vfbench's own tables. The pages are gzipped
# as Debian installs them (-9n: no name, no time stamp: reproducible).
#   cmake -DVFBENCH=BIN -DMAN_DIR=DIR -DCOMPLETION=FILE -P manual.cmake
file(REMOVE_RECURSE ${MAN_DIR})
file(MAKE_DIRECTORY ${MAN_DIR})
execute_process(COMMAND ${VFBENCH} help --man ${MAN_DIR}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "vfbench help --man ${MAN_DIR}: exit ${rc}")
endif()
file(GLOB pages ${MAN_DIR}/*.1)
foreach(page ${pages})
  execute_process(COMMAND gzip -9nf ${page} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${page}: exit ${rc}")
  endif()
endforeach()
execute_process(COMMAND ${VFBENCH} help --completion
  OUTPUT_FILE ${COMPLETION} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "vfbench help --completion: exit ${rc}")
endif()
file(TOUCH ${MAN_DIR}/stamp)
