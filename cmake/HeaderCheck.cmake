# Builds one translation unit per public header that includes only that header, so that
# every header is proven to compile on its own.
function(shopcore_add_header_check target)
    file(GLOB_RECURSE _headers RELATIVE "${PROJECT_SOURCE_DIR}/include"
         CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/include/shopcore/*.hpp")
    set(_sources)
    foreach(_h IN LISTS _headers)
        string(MAKE_C_IDENTIFIER "${_h}" _id)
        set(_src "${CMAKE_CURRENT_BINARY_DIR}/header_check/${_id}.cpp")
        file(CONFIGURE OUTPUT "${_src}" CONTENT "#include <${_h}>\n#include <${_h}>  // guard\n")
        list(APPEND _sources "${_src}")
    endforeach()
    add_library(${target} OBJECT ${_sources})
    target_link_libraries(${target} PRIVATE shopcore::shopcore)
endfunction()
