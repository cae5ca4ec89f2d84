# The Debian package: 'cpack -G DEB' (scripts/package) of what
# 'cmake --install' puts under /usr, with the copyright and changelog
# Debian wants. Depends is computed by dpkg-shlibdeps from the libraries
# the binary links (libibverbs, librdmacm, libpci, hwloc, libnl-route-3,
# json-c, pmix), never listed by hand.
set(VFB_MAINTAINER "vfbench maintainers <maintainers@vfbench.example.org>"
  CACHE STRING "the Maintainer of the Debian package")
set(VFB_DEB_RELEASE 1)
set(VFB_DEB_VERSION ${PROJECT_VERSION}-${VFB_DEB_RELEASE})

set(VFB_DOC_BUILD ${CMAKE_BINARY_DIR}/packaging)
configure_file(${CMAKE_CURRENT_LIST_DIR}/changelog.in
  ${VFB_DOC_BUILD}/changelog.Debian @ONLY)
add_custom_command(OUTPUT ${VFB_DOC_BUILD}/changelog.Debian.gz
  COMMAND gzip -9nkf ${VFB_DOC_BUILD}/changelog.Debian
  DEPENDS ${VFB_DOC_BUILD}/changelog.Debian)
add_custom_target(vfb_changelog ALL DEPENDS ${VFB_DOC_BUILD}/changelog.Debian.gz)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/copyright
  ${VFB_DOC_BUILD}/changelog.Debian.gz
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vfbench)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${VFB_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "qualify RDMA over SR-IOV virtual functions")
# the body; CPack puts the summary above it
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "vfbench creates and configures SR-IOV virtual functions, classifies every
RDMA device as a physical, virtual or paravirtual path, measures RC
latency and bandwidth on each path (alone, shared, across a cluster),
and writes results to plot, report and gate on.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${VFB_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# 'vfbench report --plots' runs gnuplot; everything else works without it
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnuplot-nox | gnuplot")
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
  WORLD_READ WORLD_EXECUTE)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/deb)
include(CPack)
